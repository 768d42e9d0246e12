using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Usage;

public sealed record HeldItem(Guid SessionId, Guid EquipmentId, string EquipmentName, string? InventoryNumber, string? Category, DateTimeOffset StartedAt);

/// <summary>What the worker is told when an admin releases their item.</summary>
public sealed record ReleaseNotice(string? Email, string DisplayName, string? Language, string EquipmentName, string? Reason);

public sealed record UsageFilter(Guid? EquipmentId = null, Guid? WorkerId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, bool? Active = null);

public sealed record UsageRow(
    Guid SessionId,
    Guid EquipmentId,
    string EquipmentName,
    string? InventoryNumber,
    Guid WorkerId,
    string WorkerName,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SessionEndKind? EndKind,
    string? EndReason)
{
    public TimeSpan Duration(DateTimeOffset now) => (EndedAt ?? now) - StartedAt;
}

/// <summary>Who held what, when: a worker's own items and history, and a company's whole history for its admins.</summary>
public sealed class UsageHistory(CiertoDbContext db)
{
    public const int MaxExportRows = 100_000;

    public async Task<IReadOnlyList<HeldItem>> HeldByMeAsync(Actor actor, CancellationToken cancellationToken = default) =>
        await HeldBy(actor).ToListAsync(cancellationToken);

    /// <summary>
    /// "Scan to return": the item with this activation code, if the worker holds it; null otherwise
    /// (an item of theirs they do not hold, or no item at all, reads the same: nothing about codes
    /// is learnt that the label did not already say).
    /// </summary>
    public async Task<HeldItem?> HeldByMeWithCodeAsync(Actor actor, string? activationCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var code = Codes.Normalize(activationCode);
        return await HeldBy(actor, code).SingleOrDefaultAsync(cancellationToken);
    }

    private IQueryable<HeldItem> HeldBy(Actor actor, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.OwnCompany();
        var items = db.Equipment.Where(e => e.CompanyId == company);
        if (code is not null)
        {
            items = items.Where(e => e.ActivationCode == code);
        }

        return db.UsageSessions.AsNoTracking()
            .Where(s => s.WorkerId == actor.UserId && s.CompanyId == company && s.EndedAt == null)
            .OrderBy(s => s.StartedAt)
            .Join(items, s => s.EquipmentId, e => e.Id, (s, e) => new HeldItem(s.Id, e.Id, e.Name, e.InventoryNumber, e.Category, s.StartedAt));
    }

    /// <summary>A worker's own history.</summary>
    public Task<Paged<UsageRow>> MineAsync(Actor actor, UsageFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        var company = actor.OwnCompany();
        return Newest(company, filter with { WorkerId = actor.UserId }).ToPagedAsync(page, Rows, cancellationToken);
    }

    /// <summary>A company's history: its admins, Root and Support (read-only) only.</summary>
    public Task<Paged<UsageRow>> CompanyAsync(Actor actor, UsageFilter filter, PageRequest page, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        return Newest(actor.OverseenCompany(companyId), filter).ToPagedAsync(page, Rows, cancellationToken);
    }

    /// <summary>One item's timeline; an item of another company answers like a missing one.</summary>
    public async Task<Paged<UsageRow>> TimelineAsync(Actor actor, Guid equipmentId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        var company = await db.Equipment.AsNoTracking().Where(e => e.Id == equipmentId).Select(e => (Guid?)e.CompanyId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Equipment");
        Guid readable;
        try
        {
            readable = actor.OverseenCompany(company);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException("Equipment");
        }

        return await Newest(readable, new UsageFilter(EquipmentId: equipmentId)).ToPagedAsync(page, Rows, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageRow>> ExportAsync(Actor actor, UsageFilter filter, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        return await Rows(Newest(actor.OverseenCompany(companyId), filter).Take(MaxExportRows)).ToListAsync(cancellationToken);
    }

    /// <summary>Who holds what in the company right now, longest held first (at most <see cref="Live.DashboardSnapshots.MaxHolding"/>).</summary>
    public async Task<IReadOnlyList<UsageRow>> HeldNowAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await db.HeldNow(actor.OverseenCompany(companyId)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// For the company's long-use summary (mail from the outbox, no actor): items still held that
    /// were taken before <paramref name="startedBefore"/>, the longest held first.
    /// </summary>
    public async Task<IReadOnlyList<UsageRow>> HeldSinceBeforeAsync(Guid companyId, DateTimeOffset startedBefore, int limit, CancellationToken cancellationToken = default) =>
        await Rows(Sessions(companyId, new UsageFilter(To: startedBefore, Active: true)).OrderBy(s => s.StartedAt).ThenBy(s => s.Id))
            .Take(limit)
            .ToListAsync(cancellationToken);

    /// <summary>For the worker's notice of a force-release (mail from the outbox, no actor): who held the item, which, and why it was released.</summary>
    public Task<ReleaseNotice?> ReleaseNoticeAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        db.UsageSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Join(db.Equipment, s => s.EquipmentId, e => e.Id, (s, e) => new { s.WorkerId, s.EndReason, e.Name })
            .Join(db.Users, x => x.WorkerId, u => u.Id, (x, u) => new ReleaseNotice(u.Email, u.DisplayName, u.Language, x.Name, x.EndReason))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Newest first (an index on company, start and id serves it); names are joined only for the rows read.</summary>
    private IQueryable<UsageSession> Newest(Guid company, UsageFilter filter) =>
        Sessions(company, filter).OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id);

    private IQueryable<UsageSession> Sessions(Guid company, UsageFilter filter)
    {
        var sessions = db.UsageSessions.AsNoTracking().Where(s => s.CompanyId == company);
        if (filter.EquipmentId is { } equipment)
        {
            sessions = sessions.Where(s => s.EquipmentId == equipment);
        }

        if (filter.WorkerId is { } worker)
        {
            sessions = sessions.Where(s => s.WorkerId == worker);
        }

        if (filter.From is { } from)
        {
            sessions = sessions.Where(s => s.EndedAt == null || s.EndedAt >= from);
        }

        if (filter.To is { } to)
        {
            sessions = sessions.Where(s => s.StartedAt < to);
        }

        if (filter.Active is { } active)
        {
            sessions = active ? sessions.Where(s => s.EndedAt == null) : sessions.Where(s => s.EndedAt != null);
        }

        return sessions;
    }

    /// <summary>Sessions (in the order given) with their item's and worker's names.</summary>
    private IQueryable<UsageRow> Rows(IQueryable<UsageSession> sessions) => sessions.WithNames(db);
}
