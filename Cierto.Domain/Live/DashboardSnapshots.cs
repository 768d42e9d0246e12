using Cierto.Domain.Accounts;
using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Live;

public sealed record InUseRow(Guid SessionId, Guid EquipmentId, string EquipmentName, string? InventoryNumber, Guid WorkerId, string WorkerName, DateTimeOffset StartedAt);

public sealed record ActivityItem(DateTimeOffset At, string WorkerName, string EquipmentName, Guid EquipmentId, UsageChangeKind Kind, string? Reason);

public sealed record DashboardSnapshot(
    Guid CompanyId,
    string CompanyName,
    int InUse,
    int Free,
    int OutOfService,
    IReadOnlyList<InUseRow> Holding,
    IReadOnlyList<ActivityItem> Activity,
    IReadOnlyList<int> InUseByHour,
    DateTimeOffset DayStart,
    DateTimeOffset LoadedAt,
    string TimeZone = CompanyTime.Default)
{
    /// <summary>Items still held after their booking ended (and its grace).</summary>
    public IReadOnlyList<OverdueRow> Overdue { get; init; } = [];

    /// <summary>Bookings that have started while someone else still holds the item.</summary>
    public IReadOnlyList<BlockedRow> Blocked { get; init; } = [];
}

/// <summary>The admin dashboard's picture of a company, read in one go from the database.</summary>
public sealed class DashboardSnapshots(CiertoDbContext db, TimeProvider time)
{
    public const int MaxHolding = 500;
    public const int ActivityItems = 15;

    public Task<DashboardSnapshot> LoadAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return LoadCompanyAsync(actor.OverseenCompany(companyId), cancellationToken);
    }

    /// <summary>
    /// The picture of a company whose access was already settled (<see cref="DashboardFeed"/> checks
    /// the actor before it shares a company's picture with them).
    /// </summary>
    internal async Task<DashboardSnapshot> LoadCompanyAsync(Guid company, CancellationToken cancellationToken = default)
    {
        var header = await db.Companies.AsNoTracking().Where(c => c.Id == company).Select(c => new { c.Name, c.TimeZone }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Company");
        var name = header.Name;
        var zone = CompanyTime.Zone(header.TimeZone);
        var now = time.GetUtcNow();

        var counts = await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == company && e.Status != EquipmentStatus.Retired)
            .GroupBy(e => new { e.Status, Held = e.Sessions.Any(s => s.EndedAt == null) })
            .Select(g => new { g.Key.Status, g.Key.Held, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var holding = (await db.HeldNow(company).ToListAsync(cancellationToken))
            .Select(r => new InUseRow(r.SessionId, r.EquipmentId, r.EquipmentName, r.InventoryNumber, r.WorkerId, r.WorkerName, r.StartedAt))
            .ToList();

        // "Today" is the company's day, hour by hour on its own clock (a DST day has a short or a long hour).
        var dayStart = CompanyTime.DayStart(zone, now);
        var localDate = CompanyTime.ToLocal(zone, now).Date;
        var today = await db.UsageSessions.AsNoTracking()
            .Where(s => s.CompanyId == company && s.StartedAt < now && (s.EndedAt == null || s.EndedAt > dayStart))
            .Select(s => new { s.StartedAt, s.EndedAt })
            .ToListAsync(cancellationToken);
        var byHour = Enumerable.Range(0, 24).Select(h =>
        {
            var hourStart = CompanyTime.Instant(zone, localDate.AddHours(h));
            var hourEnd = CompanyTime.Instant(zone, localDate.AddHours(h + 1));
            return hourStart > now || hourStart >= hourEnd ? 0 : today.Count(s => s.StartedAt < hourEnd && (s.EndedAt ?? now) > hourStart); // an hour the clocks skipped is empty
        }).ToList();

        // The newest events: the latest activations and the latest ends, each read through its own
        // index (ordering a year of sessions by "end or start" would sort all of them).
        var sessions = db.UsageSessions.AsNoTracking().Where(s => s.CompanyId == company);
        var started = await sessions.OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id).Take(ActivityItems).WithNames(db).ToListAsync(cancellationToken);
        var ended = await sessions.Where(s => s.EndedAt != null).OrderByDescending(s => s.EndedAt).ThenBy(s => s.Id).Take(ActivityItems).WithNames(db).ToListAsync(cancellationToken);
        var activity = started
            .Select(r => new ActivityItem(r.StartedAt, r.WorkerName, r.EquipmentName, r.EquipmentId, UsageChangeKind.Activated, null))
            .Concat(ended.Select(r => new ActivityItem(r.EndedAt!.Value, r.WorkerName, r.EquipmentName, r.EquipmentId, r.EndKind == SessionEndKind.ForceRelease ? UsageChangeKind.ForceReleased : UsageChangeKind.Deactivated, r.EndReason)))
            .OrderByDescending(a => a.At)
            .Take(ActivityItems)
            .ToList();

        var overdue = await db.OverdueAsync(company, now, MaxHolding, cancellationToken);
        var blocked = await db.BlockedAsync(company, now, MaxHolding, cancellationToken);
        return new DashboardSnapshot(
            company,
            name,
            counts.Where(c => c.Held).Sum(c => c.Count),
            counts.Where(c => !c.Held && c.Status == EquipmentStatus.Available).Sum(c => c.Count),
            counts.Where(c => !c.Held && c.Status == EquipmentStatus.OutOfService).Sum(c => c.Count),
            holding,
            activity,
            byHour,
            dayStart,
            now,
            header.TimeZone)
        {
            Overdue = overdue,
            Blocked = blocked,
        };
    }
}
