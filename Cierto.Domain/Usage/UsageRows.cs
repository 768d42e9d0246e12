using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Usage;

/// <summary>The one join from sessions to the names people read (item and worker), for history, exports and the dashboard.</summary>
internal static class UsageRows
{
    /// <summary>Sessions (in the order given) with their item's and worker's names.</summary>
    public static IQueryable<UsageRow> WithNames(this IQueryable<UsageSession> sessions, CiertoDbContext db) => sessions
        .Join(db.Equipment, s => s.EquipmentId, e => e.Id, (s, e) => new { s, e })
        .Join(db.Users, x => x.s.WorkerId, u => u.Id, (x, u) => new UsageRow(
            x.s.Id, x.e.Id, x.e.Name, x.e.InventoryNumber, u.Id, u.DisplayName, x.s.StartedAt, x.s.EndedAt, x.s.EndKind, x.s.EndReason));

    /// <summary>
    /// Who holds what in a company right now, longest held first, at most
    /// <see cref="Live.DashboardSnapshots.MaxHolding"/>: the dashboard's list and the API's current usage.
    /// </summary>
    public static IQueryable<UsageRow> HeldNow(this CiertoDbContext db, Guid company) => db.UsageSessions.AsNoTracking()
        .Where(s => s.CompanyId == company && s.EndedAt == null)
        .OrderBy(s => s.StartedAt)
        .ThenBy(s => s.Id)
        .Take(Live.DashboardSnapshots.MaxHolding)
        .WithNames(db);
}
