using Cierto.Domain.Data;

namespace Cierto.Domain.Usage;

/// <summary>The one join from sessions to the names people read (item and worker), for history, exports and the dashboard.</summary>
internal static class UsageRows
{
    /// <summary>Sessions (in the order given) with their item's and worker's names.</summary>
    public static IQueryable<UsageRow> WithNames(this IQueryable<UsageSession> sessions, CiertoDbContext db) => sessions
        .Join(db.Equipment, s => s.EquipmentId, e => e.Id, (s, e) => new { s, e })
        .Join(db.Users, x => x.s.WorkerId, u => u.Id, (x, u) => new UsageRow(
            x.s.Id, x.e.Id, x.e.Name, x.e.InventoryNumber, u.Id, u.DisplayName, x.s.StartedAt, x.s.EndedAt, x.s.EndKind, x.s.EndReason));
}
