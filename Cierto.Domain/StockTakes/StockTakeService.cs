using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Data.Configurations;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.StockTakes;

public sealed record StockTakeRow(Guid Id, string? Category, string? Location, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string StartedBy, int Found, int? Missing, DateTimeOffset? MissingMarkedAt = null);

public sealed record ScannedItem(Guid EquipmentId, string Name, string? InventoryNumber, DateTimeOffset ScannedAt, string ScannedBy);

/// <summary>Where an open stock-take stands: how many of the expected items were found, and the latest scans.</summary>
public sealed record StockTakeProgress(StockTakeRow StockTake, int Expected, int FoundExpected, int FoundOther, IReadOnlyList<ScannedItem> Latest)
{
    public int NotYetFound => Expected - FoundExpected;
}

public enum ScanStatus
{
    Counted,
    AlreadyCounted,
    UnknownCode,
}

public sealed record ScanResult(ScanStatus Status, string Message, Guid? EquipmentId = null);

public sealed record StockTakeReportLine(Guid EquipmentId, string Name, string? InventoryNumber, string? Location, StockTakeOutcome Outcome, string? HolderName);

/// <summary>
/// Stock-takes: an admin starts one (for a category or location, or everything), admins scan or
/// type the codes of what they find — any number at once, on any instance: the unique index on
/// (stock-take, item) counts each item once —, and finishing keeps a report of missing items and
/// of items found out of service, retired or held by someone.
/// </summary>
public sealed class StockTakeService(CiertoDbContext db, IEventBus events, TimeProvider time)
{
    public const int LatestShown = 10;

    public async Task<Guid> StartAsync(Actor actor, string? category, string? location, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.ManagedCompany(companyId);
        if (category?.Trim().Length > EquipmentItem.CategoryMaxLength || location?.Trim().Length > EquipmentItem.LocationMaxLength)
        {
            throw ValidationException.For("Category", Texts.Get("Choose a category and a location from the lists."));
        }

        var now = time.GetUtcNow();
        var take = new StockTake(company, category, location, actor.UserId, now);
        db.StockTakes.Add(take);
        db.Record(now, actor, company, "stock-take.started", nameof(StockTake), take.Id, $"{take.Category}|{take.Location}");
        await db.SaveChangesAsync(cancellationToken);
        return take.Id;
    }

    public async Task<Paged<StockTakeRow>> ListAsync(Actor actor, PageRequest page, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        var company = actor.OverseenCompany(companyId);
        return await Rows(db.StockTakes.AsNoTracking().Where(t => t.CompanyId == company).OrderByDescending(t => t.StartedAt).ThenBy(t => t.Id)).ToPagedAsync(page, cancellationToken);
    }

    public async Task<StockTakeProgress> ProgressAsync(Actor actor, Guid stockTakeId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var take = await FindAsync(actor, stockTakeId, companyId, tracking: false, cancellationToken);
        var row = await Rows(db.StockTakes.AsNoTracking().Where(t => t.Id == take.Id)).SingleAsync(cancellationToken);
        var expected = Expected(take);
        var scans = db.StockTakeScans.AsNoTracking().Where(s => s.StockTakeId == take.Id);
        var total = await expected.CountAsync(cancellationToken);
        var foundExpected = await scans.CountAsync(s => expected.Any(e => e.Id == s.EquipmentId), cancellationToken);
        var foundAll = await scans.CountAsync(cancellationToken);
        var latest = await scans.OrderByDescending(s => s.ScannedAt).ThenBy(s => s.Id).Take(LatestShown)
            .Join(db.Equipment, s => s.EquipmentId, e => e.Id, (s, e) => new { s, e })
            .Select(x => new ScannedItem(x.e.Id, x.e.Name, x.e.InventoryNumber, x.s.ScannedAt, db.Users.Where(u => u.Id == x.s.ScannedById).Select(u => u.DisplayName).First()))
            .ToListAsync(cancellationToken);
        return new StockTakeProgress(row, total, foundExpected, foundAll - foundExpected, latest);
    }

    /// <summary>Counts the item with this code (typed or read from its label) as found; the same item again is said so, and counted once.</summary>
    public async Task<ScanResult> ScanAsync(Actor actor, Guid stockTakeId, string? code, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var take = await FindAsync(actor, stockTakeId, companyId, tracking: false, cancellationToken);
        actor.ManagedCompany(take.CompanyId);
        if (!take.IsOpen)
        {
            throw new DomainException("stock_take_finished", Texts.Get("This stock-take is finished. Start a new one to count again."));
        }

        var normalized = LabelCodes.Read(code);
        var item = normalized is null ? null : await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == take.CompanyId && e.ActivationCode == normalized)
            .Select(e => new { e.Id, e.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            return new ScanResult(ScanStatus.UnknownCode, Texts.Get("No item of your company has this code. Check the label."));
        }

        var now = time.GetUtcNow();
        db.StockTakeScans.Add(new StockTakeScan(take.Id, item.Id, actor.UserId, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex, StockTakeConfiguration.OneScanPerItemIndex))
        {
            db.ChangeTracker.Clear();
            return new ScanResult(ScanStatus.AlreadyCounted, Texts.Format("{0} was already counted.", item.Name), item.Id);
        }

        await events.PublishAsync(new EquipmentUsageChanged(take.CompanyId, item.Id, actor.UserId, UsageChangeKind.StockTakeScanned, now), cancellationToken);
        return new ScanResult(ScanStatus.Counted, Texts.Format("{0} counted.", item.Name), item.Id);
    }

    /// <summary>Ends the count and keeps its report: every expected item not found, and every found item that was out of service, retired or held.</summary>
    public async Task FinishAsync(Actor actor, Guid stockTakeId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var take = await FindAsync(actor, stockTakeId, companyId, tracking: true, cancellationToken);
        actor.ManagedCompany(take.CompanyId);
        if (!take.IsOpen)
        {
            return;
        }

        var now = time.GetUtcNow();
        var scanned = db.StockTakeScans.Where(s => s.StockTakeId == take.Id).Select(s => s.EquipmentId);
        var expected = Expected(take);
        var candidates = await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == take.CompanyId && (scanned.Contains(e.Id) || expected.Any(x => x.Id == e.Id)))
            .Select(e => new
            {
                e.Id,
                e.Name,
                e.InventoryNumber,
                e.Location,
                e.Status,
                Found = scanned.Contains(e.Id),
                Holder = db.UsageSessions.Where(s => s.EquipmentId == e.Id && s.EndedAt == null).Join(db.Users, s => s.WorkerId, u => u.Id, (_, u) => u.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        foreach (var c in candidates)
        {
            var outcome = !c.Found ? StockTakeOutcome.Missing
                : c.Status == EquipmentStatus.Retired ? StockTakeOutcome.FoundRetired
                : c.Holder is not null ? StockTakeOutcome.FoundHeld
                : c.Status == EquipmentStatus.OutOfService ? StockTakeOutcome.FoundOutOfService
                : StockTakeOutcome.Found;
            db.StockTakeLines.Add(new StockTakeLine(take.Id, c.Id, c.Name, c.InventoryNumber, c.Location, outcome, outcome == StockTakeOutcome.FoundHeld ? c.Holder : null));
        }

        take.Finish(actor.UserId, now);
        db.Record(now, actor, take.CompanyId, "stock-take.finished", nameof(StockTake), take.Id, $"{candidates.Count(c => !c.Found)} missing of {candidates.Count}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // another admin finished it at the same moment; theirs is the report
            return;
        }

        await events.PublishAsync(new EquipmentUsageChanged(take.CompanyId, null, actor.UserId, UsageChangeKind.StockTakeScanned, now), cancellationToken);
    }

    public async Task<IReadOnlyList<StockTakeReportLine>> ReportAsync(Actor actor, Guid stockTakeId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var take = await FindAsync(actor, stockTakeId, companyId, tracking: false, cancellationToken);
        return await db.StockTakeLines.AsNoTracking().Where(l => l.StockTakeId == take.Id)
            .OrderBy(l => l.Outcome).ThenBy(l => l.Name).ThenBy(l => l.Id)
            .Select(l => new StockTakeReportLine(l.EquipmentId, l.Name, l.InventoryNumber, l.Location, l.Outcome, l.HolderName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Puts every item the finished stock-take missed out of service (those still available and nobody holds), each audited; returns how many.</summary>
    public async Task<int> MarkMissingOutOfServiceAsync(Actor actor, Guid stockTakeId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var take = await FindAsync(actor, stockTakeId, companyId, tracking: true, cancellationToken);
        actor.ManagedCompany(take.CompanyId);
        if (take.IsOpen)
        {
            throw new DomainException("stock_take_open", Texts.Get("Finish the stock-take first."));
        }

        if (take.MissingMarkedAt is not null)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var missing = db.StockTakeLines.Where(l => l.StockTakeId == take.Id && l.Outcome == StockTakeOutcome.Missing).Select(l => l.EquipmentId);
        var items = await db.Equipment
            .Where(e => e.CompanyId == take.CompanyId && missing.Contains(e.Id) && e.Status == EquipmentStatus.Available && !e.Sessions.Any(s => s.EndedAt == null))
            .ToListAsync(cancellationToken);
        foreach (var item in items)
        {
            item.MarkOutOfService(now);
            db.Record(now, actor, take.CompanyId, "equipment.out-of-service", "Equipment", item.Id, $"missing in stock-take {take.Id}");
        }

        take.MissingMarked(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // another admin did it at the same moment: nothing is marked twice
            return 0;
        }

        await events.PublishAsync(new EquipmentUsageChanged(take.CompanyId, null, null, UsageChangeKind.EquipmentChanged, now), cancellationToken);
        return items.Count;
    }

    /// <summary>The items a stock-take expects to find: the company's, not retired, of its category and location.</summary>
    private IQueryable<EquipmentItem> Expected(StockTake take)
    {
        var items = db.Equipment.AsNoTracking().Where(e => e.CompanyId == take.CompanyId && e.Status != EquipmentStatus.Retired);
        if (take.Category is { } category)
        {
            items = items.Where(e => e.Category == category);
        }

        if (take.Location is { } location)
        {
            items = items.Where(e => e.Location == location);
        }

        return items;
    }

    private IQueryable<StockTakeRow> Rows(IQueryable<StockTake> takes) => takes.Select(t => new StockTakeRow(
        t.Id,
        t.Category,
        t.Location,
        t.StartedAt,
        t.FinishedAt,
        db.Users.Where(u => u.Id == t.StartedById).Select(u => u.DisplayName).First(),
        db.StockTakeScans.Count(s => s.StockTakeId == t.Id),
        t.FinishedAt == null ? null : db.StockTakeLines.Count(l => l.StockTakeId == t.Id && l.Outcome == StockTakeOutcome.Missing),
        t.MissingMarkedAt));

    /// <summary>A stock-take of a company the actor oversees; any other id answers as a missing one.</summary>
    private async Task<StockTake> FindAsync(Actor actor, Guid id, Guid? companyId, bool tracking, CancellationToken cancellationToken)
    {
        var company = actor.OverseenCompany(companyId);
        var takes = tracking ? db.StockTakes : db.StockTakes.AsNoTracking();
        return await takes.SingleOrDefaultAsync(t => t.Id == id && t.CompanyId == company, cancellationToken) ?? throw new NotFoundException("Stock-take");
    }
}
