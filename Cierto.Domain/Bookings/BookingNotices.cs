using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Cierto.Domain.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Bookings;

/// <summary>
/// Finds the booking notices that are due — reminders, overdue items (to the holder, later to the
/// admins), items still held by someone else when a booking starts — and writes each once to the
/// outbox: its id comes from the booking and the kind of notice, so every instance may look, as
/// often as it likes. A new overdue or blocked item is also published, so dashboards show it now.
/// </summary>
public sealed class BookingNotices(CiertoDbContext db, IEventBus events, TimeProvider time)
{
    public const int Batch = 500;

    /// <summary>Writes the notices due now; returns how many were new.</summary>
    public async Task<int> ScanAsync(TimeSpan escalateAfter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = new List<(Guid Company, BookingNotice Notice)>();

        // Reminders: only for bookings made before their reminder was due (who books for in ten
        // minutes knows). The lead time is the company's; the query is bounded by the longest allowed.
        var reminders = await db.Bookings.AsNoTracking()
            .Where(b => b.StartsAt > now && b.StartsAt <= now + TimeSpan.FromMinutes(BookingRules.ReminderMinutesLimit))
            .Join(db.Companies.Where(c => c.BookingReminderMinutes > 0), b => b.CompanyId, c => c.Id, (b, c) => new { b.Id, b.CompanyId, b.StartsAt, b.CreatedAt, c.BookingReminderMinutes })
            .OrderBy(b => b.StartsAt)
            .Take(Batch * 4)
            .ToListAsync(cancellationToken);
        due.AddRange(reminders
            .Where(r => r.StartsAt - TimeSpan.FromMinutes(r.BookingReminderMinutes) is var remindAt && remindAt <= now && r.CreatedAt < remindAt)
            .Select(r => (r.CompanyId, new BookingNotice(r.Id, BookingNoticeKind.Reminder, r.StartsAt))));

        foreach (var overdue in await db.OverdueAsync(null, now, Batch, cancellationToken))
        {
            due.Add((overdue.CompanyId, new BookingNotice(overdue.BookingId, BookingNoticeKind.Overdue, overdue.EndedAt)));
            var grace = await db.Companies.Where(c => c.Id == overdue.CompanyId).Select(c => c.BookingGraceMinutes).SingleAsync(cancellationToken);
            if (now >= overdue.EndedAt + TimeSpan.FromMinutes(grace) + escalateAfter)
            {
                due.Add((overdue.CompanyId, new BookingNotice(overdue.BookingId, BookingNoticeKind.OverdueEscalated, overdue.EndedAt)));
            }
        }

        due.AddRange((await db.BlockedAsync(null, now, Batch, cancellationToken))
            .Select(b => (b.CompanyId, new BookingNotice(b.BookingId, BookingNoticeKind.Blocked, b.StartsAt))));

        var ids = due.Select(d => d.Notice.MessageId).ToList();
        var written = (await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken)).ToHashSet();
        var news = 0;
        var changed = new HashSet<Guid>();
        foreach (var (company, notice) in due.Where(d => !written.Contains(d.Notice.MessageId)))
        {
            if (await db.EnqueueOnceAsync(notice, notice.MessageId, now, cancellationToken))
            {
                news++;
                if (notice.Notice != BookingNoticeKind.Reminder)
                {
                    changed.Add(company);
                }
            }
        }

        foreach (var company in changed)
        {
            await events.PublishAsync(new EquipmentUsageChanged(company, null, null, UsageChangeKind.BookingsChanged, now), cancellationToken);
        }

        return news;
    }
}
