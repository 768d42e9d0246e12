using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Bookings;

/// <summary>The booking questions several parts ask (the dashboard, the scheduler, the lists), asked one way.</summary>
public static class BookingQueries
{
    /// <summary>
    /// Bookings over by <paramref name="now"/> whose holder still has the item they took before the
    /// end (not one they took again later), unless another booking of theirs for it runs now. The
    /// company's grace is applied by the caller (<see cref="IsOverdue"/>); of several such bookings of
    /// one item the latest counts.
    /// </summary>
    public static async Task<IReadOnlyList<OverdueRow>> OverdueAsync(this CiertoDbContext db, Guid? companyId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Driven by the open sessions (few, and indexed), not by every booking that ever ended.
        var open = db.UsageSessions.AsNoTracking().Where(s => s.EndedAt == null);
        if (companyId is { } company)
        {
            open = open.Where(s => s.CompanyId == company);
        }

        var rows = await open
            .Join(db.Bookings, s => new { s.EquipmentId, s.WorkerId }, b => new { b.EquipmentId, b.WorkerId }, (s, b) => new { s, b })
            .Where(x => x.b.EndsAt <= now && x.s.StartedAt < x.b.EndsAt)
            .Where(x => !db.Bookings.Any(n => n.EquipmentId == x.b.EquipmentId && n.WorkerId == x.b.WorkerId && n.StartsAt <= now && n.EndsAt > now))
            .OrderByDescending(x => x.b.EndsAt)
            .Take(limit)
            .Select(x => new
            {
                Row = new OverdueRow(
                    x.b.CompanyId,
                    x.b.Id,
                    x.b.EquipmentId,
                    db.Equipment.Where(e => e.Id == x.b.EquipmentId).Select(e => e.Name).First(),
                    x.b.WorkerId,
                    db.Users.Where(u => u.Id == x.b.WorkerId).Select(u => u.DisplayName).First(),
                    x.b.EndsAt),
                Grace = db.Companies.Where(c => c.Id == x.b.CompanyId).Select(c => c.BookingGraceMinutes).First(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Where(r => IsOverdue(r.Row.EndedAt, TimeSpan.FromMinutes(r.Grace), now))
            .DistinctBy(r => r.Row.EquipmentId)
            .Select(r => r.Row)
            .ToList();
    }

    public static bool IsOverdue(DateTimeOffset endsAt, TimeSpan grace, DateTimeOffset now) => now >= endsAt + grace;

    /// <summary>Bookings running at <paramref name="now"/> while someone else holds their item.</summary>
    public static async Task<IReadOnlyList<BlockedRow>> BlockedAsync(this CiertoDbContext db, Guid? companyId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bookings = db.Bookings.AsNoTracking().Where(b => b.StartsAt <= now && b.EndsAt > now);
        if (companyId is { } company)
        {
            bookings = bookings.Where(b => b.CompanyId == company);
        }

        return await bookings
            .Join(db.UsageSessions.Where(s => s.EndedAt == null), b => b.EquipmentId, s => s.EquipmentId, (b, s) => new { b, s })
            .Where(x => x.s.WorkerId != x.b.WorkerId)
            .OrderBy(x => x.b.StartsAt)
            .Take(limit)
            .Select(x => new BlockedRow(
                x.b.CompanyId,
                x.b.Id,
                x.b.EquipmentId,
                db.Equipment.Where(e => e.Id == x.b.EquipmentId).Select(e => e.Name).First(),
                db.Users.Where(u => u.Id == x.b.WorkerId).Select(u => u.DisplayName).First(),
                db.Users.Where(u => u.Id == x.s.WorkerId).Select(u => u.DisplayName).First(),
                x.b.StartsAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// When an item booked by others from <paramref name="blocking"/> on is free again for
    /// <paramref name="reader"/>: the end of the run of others' bookings that follow one another
    /// with less than the grace between them.
    /// </summary>
    public static DateTimeOffset FreeAgainAt(Booking blocking, IEnumerable<Booking> later, Guid reader, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(blocking);
        var free = blocking.EndsAt;
        foreach (var next in later.Where(b => b.WorkerId != reader).OrderBy(b => b.StartsAt))
        {
            if (next.StartsAt - grace >= free)
            {
                break;
            }

            free = next.EndsAt > free ? next.EndsAt : free;
        }

        return free;
    }
}
