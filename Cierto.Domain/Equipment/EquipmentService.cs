using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Equipment;

public enum EquipmentFilter
{
    /// <summary>Everything but retired items.</summary>
    Current,
    Free,
    InUse,
    OutOfService,
    Retired,
    All,
}

public enum EquipmentSort
{
    Name,
    InventoryNumber,
    Category,
    Status,
    CreatedAt,
}

public sealed record EquipmentQuery(string? Search = null, string? Category = null, EquipmentFilter Filter = EquipmentFilter.Current, EquipmentSort Sort = EquipmentSort.Name, bool Descending = false, string? Location = null);

public sealed record EquipmentInput(string? Name, string? InventoryNumber, string? Category, string? Description, string? Location = null);

/// <summary>What a company admin sees of an item, including who holds it and its activation code.</summary>
public sealed record EquipmentRow(
    Guid Id,
    string Name,
    string? InventoryNumber,
    string? Category,
    string? Description,
    EquipmentStatus Status,
    string ActivationCode,
    Guid Version,
    Guid? SessionId,
    string? HolderName,
    DateTimeOffset? InUseSince,
    string? Location = null)
{
    public bool InUse => SessionId is not null;
}

/// <summary>What a worker sees of a free item. There is deliberately no activation code here.</summary>
public sealed record FreeEquipmentRow(Guid Id, string Name, string? InventoryNumber, string? Category, string? Description);

/// <summary>The company admin's equipment list and the changes made to it.</summary>
public sealed class EquipmentService(CiertoDbContext db, IEventBus events, IValidator<EquipmentInput> rules, TimeProvider time)
{
    private const int CodeAttempts = 5;

    public async Task<Paged<EquipmentRow>> ListAsync(Actor actor, EquipmentQuery query, PageRequest page, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var company = actor.OverseenCompany(companyId);
        var items = Filter(db.Equipment.AsNoTracking().Where(e => e.CompanyId == company), query);

        // The page's ids come from the sort's index alone (no table row read for the rows skipped);
        // only the page's own rows are then read, with their holders, in the same statement.
        var sorted = Sort(items, query);
        Func<IQueryable<EquipmentItem>, IQueryable<ItemWithHolder>> shape = cut => WithHolder(Sort(db.Equipment.AsNoTracking().Where(e => cut.Select(c => c.Id).Contains(e.Id)), query));
        var rows = IsInUseOnly(query)
            ? await sorted.ToPagedAsync(page, shape, db.UsageSessions.Where(s => s.CompanyId == company && s.EndedAt == null), cancellationToken)
            : await sorted.ToPagedAsync(page, shape, cancellationToken);
        return rows.Map(ToRow);
    }

    /// <summary>
    /// "In use" with nothing else to narrow it: as many items as the company has open sessions (one
    /// per item at most, by a unique index, each in its item's company), which the database counts
    /// from the sessions' index instead of matching every item against them.
    /// </summary>
    private static bool IsInUseOnly(EquipmentQuery query) =>
        query.Filter == EquipmentFilter.InUse && string.IsNullOrWhiteSpace(query.Search) && string.IsNullOrWhiteSpace(query.Category) && string.IsNullOrWhiteSpace(query.Location);

    public async Task<EquipmentRow> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        // Staff open any company's item by its id alone.
        Guid? company = actor.IsStaff ? null : actor.OverseenCompany();
        var row = await WithHolder(db.Equipment.AsNoTracking().Where(e => e.Id == id && (company == null || e.CompanyId == company)))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Equipment");
        return ToRow(row);
    }

    /// <summary>Items for printing labels: the given ones, or (with none given) every current item up to the limit.</summary>
    public async Task<IReadOnlyList<EquipmentRow>> ForLabelsAsync(Actor actor, IReadOnlyCollection<Guid> ids, int limit = 240, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(ids);
        var company = actor.OverseenCompany(companyId);
        var items = db.Equipment.AsNoTracking().Where(e => e.CompanyId == company);
        items = ids.Count > 0 ? items.Where(e => ids.Contains(e.Id)) : items.Where(e => e.Status != EquipmentStatus.Retired);
        var rows = await items.OrderBy(e => e.Name).ThenBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(e => ToRow(e, null, null, null)).ToList();
    }

    /// <summary>Free items of the worker's own company: available and not held. No codes.</summary>
    public async Task<Paged<FreeEquipmentRow>> ListFreeAsync(Actor actor, string? search, string? category, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        var company = actor.OwnCompany();
        var items = Filter(db.Equipment.AsNoTracking().Where(e => e.CompanyId == company), new EquipmentQuery(search, category, EquipmentFilter.Free));
        return await items.OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Select(e => new FreeEquipmentRow(e.Id, e.Name, e.InventoryNumber, e.Category, e.Description))
            .ToPagedAsync(page, cancellationToken);
    }

    /// <summary>The places the company keeps its (not retired) items, for filters and stock-takes.</summary>
    public async Task<IReadOnlyList<string>> LocationsAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.OverseenCompany(companyId);
        return await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == company && e.Location != null && e.Status != EquipmentStatus.Retired)
            .Select(e => e.Location!)
            .Distinct()
            .OrderBy(l => l)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The categories in use: for members (the free-equipment filter) and for those who oversee the company (Root and Support name it).</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.ReadableCompany(companyId);
        return await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == company && e.Category != null && e.Status != EquipmentStatus.Retired)
            .Select(e => e.Category!)
            .Distinct()
            .OrderBy(c => c)
            .ToListAsync(cancellationToken);
    }

    public async Task<EquipmentRow> CreateAsync(Actor actor, EquipmentInput input, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var company = actor.ManagedCompany(companyId);
        rules.ThrowIfInvalid(input);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var item = new EquipmentItem(company, input.Name!, input.InventoryNumber, input.Category, input.Description, now);
            item.MoveTo(input.Location, now);
            db.Equipment.Add(item);
            db.Record(now, actor, company, "equipment.created", "Equipment", item.Id, item.Name);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await PublishChangeAsync(company, item.Id, cancellationToken);
                return ToRow(item, null, null, null);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                db.ChangeTracker.Clear();
                await ThrowIfInventoryNumberTakenAsync(company, input.InventoryNumber, null, cancellationToken);
                if (attempt == CodeAttempts)
                {
                    throw;
                }
            }
        }
    }

    public async Task<EquipmentRow> UpdateAsync(Actor actor, Guid id, EquipmentInput input, Guid expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        rules.ThrowIfInvalid(input);
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        var item = await FindAsync(company, id, cancellationToken);
        db.Entry(item).Property(e => e.Version).OriginalValue = expectedVersion;
        try
        {
            await SaveChangeAsync(actor, company, item, "equipment.updated", (i, now) =>
            {
                i.Update(input.Name!, input.InventoryNumber, input.Category, input.Description, now);
                i.MoveTo(input.Location, now);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            await ThrowIfInventoryNumberTakenAsync(company, input.InventoryNumber, id, cancellationToken);
            throw;
        }

        return await ChangedAsync(actor, company, id, cancellationToken);
    }

    public Task<EquipmentRow> MarkOutOfServiceAsync(Actor actor, Guid id, CancellationToken cancellationToken = default) =>
        TakeOutOfUseAsync(actor, id, "equipment.out-of-service", (item, now) => item.MarkOutOfService(now), cancellationToken);

    public Task<EquipmentRow> RetireAsync(Actor actor, Guid id, CancellationToken cancellationToken = default) =>
        TakeOutOfUseAsync(actor, id, "equipment.retired", (item, now) => item.Retire(now), cancellationToken);

    /// <summary>Where the item is kept now (from the grid's location cell); blank for nowhere in particular.</summary>
    public async Task<EquipmentRow> MoveAsync(Actor actor, Guid id, string? location, CancellationToken cancellationToken = default)
    {
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        if (location?.Trim().Length > EquipmentItem.LocationMaxLength || !Text.IsClean(location))
        {
            throw ValidationException.For("Location", Texts.Format("Location must be at most {0} characters.", EquipmentItem.LocationMaxLength));
        }

        var item = await FindAsync(company, id, cancellationToken);
        await SaveChangeAsync(actor, company, item, "equipment.moved", (i, now) => i.MoveTo(location, now), cancellationToken);
        return await ChangedAsync(actor, company, id, cancellationToken);
    }

    public async Task<EquipmentRow> ReturnToServiceAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        var item = await FindAsync(company, id, cancellationToken);
        await SaveChangeAsync(actor, company, item, "equipment.back-in-service", (i, now) => i.ReturnToService(now), cancellationToken);
        return await ChangedAsync(actor, company, id, cancellationToken);
    }

    public async Task<EquipmentRow> RegenerateActivationCodeAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        var item = await FindAsync(company, id, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SaveChangeAsync(actor, company, item, "equipment.code-regenerated", (i, now) => i.RegenerateActivationCode(now), cancellationToken);
                return await ChangedAsync(actor, company, id, cancellationToken);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex) && attempt < CodeAttempts)
            {
                // The new code is another item's (rare): drop the failed attempt's audit entry and draw again.
                foreach (var added in db.ChangeTracker.Entries<Auditing.AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
                {
                    added.State = EntityState.Detached;
                }
            }
        }
    }

    /// <summary>Only an item that was never used can be deleted; anything with history is retired instead.</summary>
    public async Task DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        var item = await FindAsync(company, id, cancellationToken);
        if (await db.UsageSessions.AnyAsync(s => s.EquipmentId == id, cancellationToken))
        {
            throw new DomainException("equipment_used", Texts.Format("{0} has been used, so it cannot be deleted: its history must stay. Retire it instead.", item.Name));
        }

        db.Equipment.Remove(item);
        db.Record(time.GetUtcNow(), actor, company, "equipment.deleted", "Equipment", item.Id, item.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await PublishChangeAsync(company, id, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A worker activated it in the meantime: the session's foreign key keeps the item.
            db.ChangeTracker.Clear();
            throw new DomainException("equipment_used", Texts.Format("{0} has just been used, so it cannot be deleted. Retire it instead.", item.Name));
        }
    }

    internal async Task ThrowIfInventoryNumberTakenAsync(Guid company, string? inventoryNumber, Guid? exceptId, CancellationToken cancellationToken)
    {
        var number = inventoryNumber?.Trim();
        if (!string.IsNullOrEmpty(number) && await db.Equipment.AnyAsync(e => e.CompanyId == company && e.InventoryNumber == number && e.Id != exceptId, cancellationToken))
        {
            throw ValidationException.For("InventoryNumber", Texts.Format("Another item already has inventory number {0}.", number));
        }
    }

    /// <summary>
    /// Out of service or retired: refused while someone holds the item. The change waits for any
    /// activation of the item under way (see UsageService), so "nobody holds it" stays true until
    /// it commits.
    /// </summary>
    private async Task<EquipmentRow> TakeOutOfUseAsync(Actor actor, Guid id, string action, Action<EquipmentItem, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var company = await ManagedCompanyOfAsync(actor, id, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockEquipmentAsync(id, cancellationToken);
        var item = await FindAsync(company, id, cancellationToken);
        if (await db.UsageSessions.AnyAsync(s => s.EquipmentId == id && s.EndedAt == null, cancellationToken))
        {
            throw new DomainException("equipment_in_use", Texts.Format("{0} is in use. {1}", item.Name, Texts.Get("Release it first: someone is using it.")));
        }

        await SaveChangeAsync(actor, company, item, action, change, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await ChangedAsync(actor, company, id, cancellationToken);
    }

    /// <summary>Applies the entity's own method, audits it and saves; a stale version is the user's to resolve.</summary>
    private async Task SaveChangeAsync(Actor actor, Guid company, EquipmentItem item, string action, Action<EquipmentItem, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        change(item, now);
        db.Record(now, actor, company, action, "Equipment", item.Id, item.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("concurrency", Texts.Get("Someone else changed this item meanwhile. Reload it and try again."));
        }
    }

    private async Task<EquipmentRow> ChangedAsync(Actor actor, Guid company, Guid id, CancellationToken cancellationToken)
    {
        await PublishChangeAsync(company, id, cancellationToken);
        return await GetAsync(actor, id, cancellationToken);
    }

    private Task PublishChangeAsync(Guid company, Guid equipmentId, CancellationToken cancellationToken) =>
        events.PublishAsync(new EquipmentUsageChanged(company, equipmentId, null, UsageChangeKind.EquipmentChanged, time.GetUtcNow()), cancellationToken);

    /// <summary>The company whose item this is, when the actor may change it (Root: any; a company admin: their own).</summary>
    private async Task<Guid> ManagedCompanyOfAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.ManagedCompany(actor.IsRoot ? await CompanyOfAsync(id, cancellationToken) : null);
    }

    private async Task<EquipmentItem> FindAsync(Guid company, Guid id, CancellationToken cancellationToken) =>
        await db.Equipment.SingleOrDefaultAsync(e => e.Id == id && e.CompanyId == company, cancellationToken) ?? throw new NotFoundException("Equipment");

    private async Task<Guid?> CompanyOfAsync(Guid equipmentId, CancellationToken cancellationToken) =>
        await db.Equipment.AsNoTracking().Where(e => e.Id == equipmentId).Select(e => (Guid?)e.CompanyId).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Equipment");

    private static IQueryable<EquipmentItem> Filter(IQueryable<EquipmentItem> items, EquipmentQuery query)
    {
        if (Text.SearchTerm(query.Search) is { } search)
        {
            // LIKE on upper(column), which PostgreSQL answers from trigram indexes on those expressions.
            var pattern = Text.ContainsPattern(search.ToUpperInvariant());
            items = items.Where(e => EF.Functions.Like(e.Name.ToUpper(), pattern, Text.LikeEscape)
                || (e.InventoryNumber != null && EF.Functions.Like(e.InventoryNumber.ToUpper(), pattern, Text.LikeEscape))
                || (e.Category != null && EF.Functions.Like(e.Category.ToUpper(), pattern, Text.LikeEscape)));
        }

        if (Text.SearchTerm(query.Category, "Category") is { } category)
        {
            items = items.Where(e => e.Category == category);
        }

        if (Text.SearchTerm(query.Location, "Location") is { } location)
        {
            items = items.Where(e => e.Location == location);
        }

        return query.Filter switch
        {
            EquipmentFilter.Current => items.Where(e => e.Status != EquipmentStatus.Retired),
            EquipmentFilter.Free => items.Where(e => e.Status == EquipmentStatus.Available && !e.Sessions.Any(s => s.EndedAt == null)),
            EquipmentFilter.InUse => items.Where(e => e.Sessions.Any(s => s.EndedAt == null)),
            EquipmentFilter.OutOfService => items.Where(e => e.Status == EquipmentStatus.OutOfService),
            EquipmentFilter.Retired => items.Where(e => e.Status == EquipmentStatus.Retired),
            _ => items,
        };
    }

    private static IQueryable<EquipmentItem> Sort(IQueryable<EquipmentItem> items, EquipmentQuery query)
    {
        IOrderedQueryable<EquipmentItem> sorted = (query.Sort, query.Descending) switch
        {
            (EquipmentSort.InventoryNumber, false) => items.OrderBy(e => e.InventoryNumber),
            (EquipmentSort.InventoryNumber, true) => items.OrderByDescending(e => e.InventoryNumber),
            (EquipmentSort.Category, false) => items.OrderBy(e => e.Category),
            (EquipmentSort.Category, true) => items.OrderByDescending(e => e.Category),
            (EquipmentSort.Status, false) => items.OrderBy(e => e.Status).ThenBy(e => e.Name),
            (EquipmentSort.Status, true) => items.OrderByDescending(e => e.Status).ThenBy(e => e.Name),
            (EquipmentSort.CreatedAt, false) => items.OrderBy(e => e.CreatedAt),
            (EquipmentSort.CreatedAt, true) => items.OrderByDescending(e => e.CreatedAt),
            (_, true) => items.OrderByDescending(e => e.Name),
            _ => items.OrderBy(e => e.Name),
        };
        return sorted.ThenBy(e => e.Id);
    }

    /// <summary>
    /// Items with their open session and its worker's name, by plain left joins: the unique index on
    /// open sessions (<see cref="Data.Configurations.UsageSessionConfiguration.OneActiveSessionIndex"/>)
    /// allows one per item, so each item keeps one row and the join reads the index once per item of the
    /// page (a "first open session" sub-query would number every open session of every company first).
    /// </summary>
    private IQueryable<ItemWithHolder> WithHolder(IQueryable<EquipmentItem> items) =>
        items
            .LeftJoin(db.UsageSessions.Where(s => s.EndedAt == null), e => e.Id, s => s.EquipmentId, (e, s) => new { Item = e, Session = s })
            .LeftJoin(db.Users, x => x.Session!.WorkerId, u => u.Id, (x, u) => new ItemWithHolder
            {
                Item = x.Item,
                Holding = x.Session == null ? null : new Holding { SessionId = x.Session.Id, StartedAt = x.Session.StartedAt, Holder = u!.DisplayName },
            });

    private static EquipmentRow ToRow(ItemWithHolder row) => ToRow(row.Item, row.Holding?.SessionId, row.Holding?.Holder, row.Holding?.StartedAt);

    private static EquipmentRow ToRow(EquipmentItem e, Guid? sessionId, string? holder, DateTimeOffset? since) =>
        new(e.Id, e.Name, e.InventoryNumber, e.Category, e.Description, e.Status, e.ActivationCode, e.Version, sessionId, holder, since, e.Location);

    private sealed class ItemWithHolder
    {
        public EquipmentItem Item { get; init; } = default!;

        public Holding? Holding { get; init; }
    }

    private sealed class Holding
    {
        public Guid SessionId { get; init; }

        public DateTimeOffset StartedAt { get; init; }

        public string? Holder { get; init; }
    }
}
