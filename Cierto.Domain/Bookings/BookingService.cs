using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Data.Configurations;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Bookings;

/// <summary>
/// Reserving an item ahead. Workers book for themselves (when their company lets them), admins for
/// any worker of the company. Who gets a contested range is settled by the database: PostgreSQL's
/// exclusion constraint lets one of any number of concurrent overlapping bookings commit.
/// </summary>
public sealed class BookingService(CiertoDbContext db, IEventBus events, TimeProvider time)
{
    /// <summary>A start this far in the past still counts as "now" (the time it took to fill in the form).</summary>
    public static readonly TimeSpan PastTolerance = TimeSpan.FromMinutes(5);

    public const int MaxListed = 500;

    /// <summary>Workers: their own bookings. Admins and staff: the company's, filtered.</summary>
    public async Task<Paged<BookingRow>> ListAsync(Actor actor, BookingFilter filter, PageRequest page, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var (company, oversees) = Reader(actor, companyId);
        var bookings = db.Bookings.AsNoTracking().Where(b => b.CompanyId == company);
        if (!oversees)
        {
            bookings = bookings.Where(b => b.WorkerId == actor.UserId);
        }
        else if (filter.WorkerId is { } worker)
        {
            bookings = bookings.Where(b => b.WorkerId == worker);
        }

        if (filter.EquipmentId is { } item)
        {
            bookings = bookings.Where(b => b.EquipmentId == item);
        }

        if (filter.From is { } from)
        {
            var f = from.ToUniversalTime();
            bookings = bookings.Where(b => b.EndsAt > f);
        }

        if (filter.To is { } to)
        {
            var t = to.ToUniversalTime();
            bookings = bookings.Where(b => b.StartsAt < t);
        }

        var rows = await Rows(bookings.OrderBy(b => b.StartsAt).ThenBy(b => b.Id), actor, oversees).ToPagedAsync(page, cancellationToken);
        var grace = await GraceAsync(company, cancellationToken);
        var now = time.GetUtcNow();
        return rows.Map(r => r with { State = r.StateAt(now, grace) });
    }

    /// <summary>One booking: a worker's own, or any of the company for an admin; any other id answers as a missing one.</summary>
    public async Task<BookingRow> GetAsync(Actor actor, Guid bookingId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (company, oversees) = Reader(actor, companyId);
        var row = await Rows(db.Bookings.AsNoTracking().Where(b => b.Id == bookingId && b.CompanyId == company && (oversees || b.WorkerId == actor.UserId)), actor, oversees)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Booking");
        return row with { State = row.StateAt(time.GetUtcNow(), await GraceAsync(company, cancellationToken)) };
    }

    private async Task<TimeSpan> GraceAsync(Guid company, CancellationToken cancellationToken) =>
        TimeSpan.FromMinutes(await db.Companies.Where(c => c.Id == company).Select(c => c.BookingGraceMinutes).SingleAsync(cancellationToken));

    /// <summary>
    /// The item's bookings between two instants (at most 31 days) and the free stretches between
    /// them. Any member of the company may ask (a worker choosing when to book); a worker learns who
    /// booked only for their own bookings.
    /// </summary>
    public async Task<Availability> AvailabilityAsync(Actor actor, Guid equipmentId, DateTimeOffset from, DateTimeOffset to, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (company, oversees) = Reader(actor, companyId);
        (from, to) = (from.ToUniversalTime(), to.ToUniversalTime());
        if (to <= from || to - from > TimeSpan.FromDays(31))
        {
            throw ValidationException.For("To", Texts.Get("Ask for at most 31 days, with the end after the start."));
        }

        var item = await db.Equipment.AsNoTracking().Where(e => e.Id == equipmentId && e.CompanyId == company)
            .Select(e => new { e.Name, InUse = e.Sessions.Any(s => s.EndedAt == null) })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Equipment");
        var booked = await db.Bookings.AsNoTracking()
            .Where(b => b.EquipmentId == equipmentId && b.StartsAt < to && b.EndsAt > from)
            .OrderBy(b => b.StartsAt)
            .Select(b => new BookedRange(b.Id, b.StartsAt, b.EndsAt, oversees || b.WorkerId == actor.UserId ? db.Users.Where(u => u.Id == b.WorkerId).Select(u => u.DisplayName).First() : null, b.WorkerId == actor.UserId))
            .ToListAsync(cancellationToken);
        var free = new List<(DateTimeOffset, DateTimeOffset)>();
        var cursor = from;
        foreach (var range in booked)
        {
            if (range.From > cursor)
            {
                free.Add((cursor, range.From));
            }

            cursor = range.To > cursor ? range.To : cursor;
        }

        if (cursor < to)
        {
            free.Add((cursor, to));
        }

        return new Availability(equipmentId, item.Name, from, to, item.InUse, booked, free);
    }

    /// <summary>The next booking (running or upcoming) of each of these items, for the free-equipment list.</summary>
    public async Task<IReadOnlyDictionary<Guid, NextBooking>> NextAsync(Actor actor, IReadOnlyCollection<Guid> equipmentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(equipmentIds);
        var company = actor.OwnCompany();
        var now = time.GetUtcNow();
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(b => b.CompanyId == company && equipmentIds.Contains(b.EquipmentId) && b.EndsAt > now)
            .GroupBy(b => b.EquipmentId)
            .Select(g => g.OrderBy(b => b.StartsAt).Select(b => new { b.EquipmentId, b.StartsAt, b.EndsAt, b.WorkerId }).First())
            .ToListAsync(cancellationToken);
        return upcoming.ToDictionary(b => b.EquipmentId, b => new NextBooking(b.StartsAt, b.EndsAt, b.WorkerId == actor.UserId));
    }

    /// <summary>Whether the actor may make bookings: admins always, workers when their company lets them.</summary>
    public async Task<bool> MayBookAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsRoot || actor.IsCompanyAdmin)
        {
            return true;
        }

        return actor.IsWorker && await db.Companies.AnyAsync(c => c.Id == actor.CompanyId && c.WorkersMayBook, cancellationToken);
    }

    /// <summary>The company's items that are not retired, by name (a search narrows them): what a booking form offers.</summary>
    public async Task<IReadOnlyList<BookableItem>> BookableItemsAsync(Actor actor, string? search, int limit = 50, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (company, _) = Reader(actor, companyId);
        var items = db.Equipment.AsNoTracking().Where(e => e.CompanyId == company && e.Status != EquipmentStatus.Retired);
        if (Text.SearchTerm(search) is { } term)
        {
            var upper = term.ToUpperInvariant();
            items = items.Where(e => e.Name.ToUpper().Contains(upper) || (e.InventoryNumber != null && e.InventoryNumber.ToUpper().Contains(upper)));
        }

        return await items.OrderBy(e => e.Name).ThenBy(e => e.Id).Take(Math.Clamp(limit, 1, 200))
            .Select(e => new BookableItem(e.Id, e.Name, e.InventoryNumber)).ToListAsync(cancellationToken);
    }

    /// <summary>For an admin's booking form: the company's active workers, by name.</summary>
    public async Task<IReadOnlyList<BookableWorker>> BookableWorkersAsync(Actor actor, string? search, int limit = 50, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.ManagedCompany(companyId);
        var workerRole = Roles.Ids[Roles.Worker];
        var workers = db.Users.AsNoTracking().Where(u => u.CompanyId == company && u.Status == UserStatus.Active && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == workerRole));
        if (Text.SearchTerm(search) is { } term)
        {
            var upper = term.ToUpperInvariant();
            workers = workers.Where(u => u.DisplayName.ToUpper().Contains(upper));
        }

        return await workers.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Take(Math.Clamp(limit, 1, 200))
            .Select(u => new BookableWorker(u.Id, u.DisplayName)).ToListAsync(cancellationToken);
    }

    public async Task<Guid> CreateAsync(Actor actor, BookingInput input, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var (company, worker) = await BookerAsync(actor, input.WorkerId, companyId, cancellationToken);
        var now = time.GetUtcNow();
        var booking = new Booking(company.Id, input.EquipmentId, worker, input.StartsAt, input.EndsAt, input.Note, actor.UserId, now);
        ThrowIfBroken(company.Rules, booking.StartsAt, booking.EndsAt, input.Note, now, checkStart: true);
        db.Bookings.Add(booking);
        await SaveAsync(actor, booking, "booking.created", cancellationToken);
        return booking.Id;
    }

    /// <summary>Moves, lengthens or re-notes a booking. A running booking keeps its start; nothing is moved into the past.</summary>
    public async Task UpdateAsync(Actor actor, Guid bookingId, BookingInput input, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var booking = await ChangeableAsync(actor, bookingId, companyId, cancellationToken);
        if (input.EquipmentId != booking.EquipmentId)
        {
            throw ValidationException.For("EquipmentId", Texts.Get("A booking stays with its item: cancel it and book the other item."));
        }

        var (company, worker) = await BookerAsync(actor, input.WorkerId ?? booking.WorkerId, companyId, cancellationToken);
        var now = time.GetUtcNow();
        var startsAt = input.StartsAt.ToUniversalTime();
        ThrowIfBroken(company.Rules, startsAt, input.EndsAt.ToUniversalTime(), input.Note, now, checkStart: startsAt != booking.StartsAt);
        if (input.EndsAt <= now - PastTolerance)
        {
            throw new DomainException("booking_in_past", Texts.Get("The booking would end in the past."));
        }

        booking.Change(worker, startsAt, input.EndsAt, input.Note);
        await SaveAsync(actor, booking, "booking.changed", cancellationToken);
    }

    /// <summary>Cancels a booking that has not ended; the holder or an admin may.</summary>
    public async Task CancelAsync(Actor actor, Guid bookingId, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var booking = await ChangeableAsync(actor, bookingId, companyId, cancellationToken);
        db.Bookings.Remove(booking);
        await SaveAsync(actor, booking, "booking.cancelled", cancellationToken);
    }

    private async Task<Booking> ChangeableAsync(Actor actor, Guid bookingId, Guid? companyId, CancellationToken cancellationToken)
    {
        var (company, oversees) = Reader(actor, companyId);
        if (actor.IsSupport && !actor.IsRoot)
        {
            throw new ForbiddenException();
        }

        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.Id == bookingId && b.CompanyId == company && (oversees || b.WorkerId == actor.UserId), cancellationToken)
            ?? throw new NotFoundException("Booking");
        if (booking.EndsAt <= time.GetUtcNow())
        {
            throw new DomainException("booking_ended", Texts.Get("This booking has already ended."));
        }

        return booking;
    }

    /// <summary>Bookings as lists show them: with the item, who booked (when the reader may know) and whether the holder has the item.</summary>
    private IQueryable<BookingRow> Rows(IQueryable<Booking> bookings, Actor actor, bool oversees) => bookings
        .Join(db.Equipment, b => b.EquipmentId, e => e.Id, (b, e) => new { b, e.Name, e.InventoryNumber })
        .Select(x => new BookingRow(
            x.b.Id,
            x.b.EquipmentId,
            x.Name,
            x.InventoryNumber,
            x.b.WorkerId,
            oversees || x.b.WorkerId == actor.UserId ? db.Users.Where(u => u.Id == x.b.WorkerId).Select(u => u.DisplayName).First() : null,
            x.b.StartsAt,
            x.b.EndsAt,
            x.b.Note,
            db.UsageSessions.Any(s => s.EquipmentId == x.b.EquipmentId && s.WorkerId == x.b.WorkerId && s.EndedAt == null && s.StartedAt < x.b.EndsAt),
            x.b.WorkerId == actor.UserId));

    /// <summary>The company read, and whether the reader sees all of it (admins, staff) or only their own bookings (workers).</summary>
    private static (Guid Company, bool Oversees) Reader(Actor actor, Guid? companyId)
    {
        if (actor.IsStaff || actor.IsCompanyAdmin)
        {
            return (actor.OverseenCompany(companyId), true);
        }

        return (actor.ReadableCompany(companyId), false);
    }

    private sealed record Booker(Guid Id, BookingRules Rules);

    /// <summary>The company booked in and whom for: an admin books for any active worker of the company, a worker for themself when the company allows.</summary>
    private async Task<(Booker Company, Guid Worker)> BookerAsync(Actor actor, Guid? workerId, Guid? companyId, CancellationToken cancellationToken)
    {
        Guid company;
        Guid worker;
        if (actor.IsRoot || actor.IsCompanyAdmin)
        {
            company = actor.ManagedCompany(companyId);
            worker = workerId ?? (actor.IsWorker ? actor.UserId : throw ValidationException.For("WorkerId", Texts.Get("Choose whom the booking is for.")));
        }
        else if (actor.IsWorker)
        {
            company = actor.ReadableCompany(companyId);
            worker = workerId is null || workerId == actor.UserId ? actor.UserId : throw new ForbiddenException("Only admins book for someone else.");
        }
        else
        {
            throw new ForbiddenException();
        }

        var settings = await db.Companies.AsNoTracking().Where(c => c.Id == company).Select(c => new BookingRules(c.WorkersMayBook, c.MaxBookingHours, c.BookingHorizonDays, c.BookingGraceMinutes, c.BookingReminderMinutes))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Company");
        if (!settings.WorkersMayBook && !actor.IsRoot && !actor.IsCompanyAdmin)
        {
            throw new DomainException("bookings_disabled", Texts.Get("Your company books equipment through its admins. Ask an admin to book it for you."));
        }

        var workerRole = Roles.Ids[Roles.Worker];
        if (!await db.Users.AnyAsync(u => u.Id == worker && u.CompanyId == company && u.Status == UserStatus.Active && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == workerRole), cancellationToken))
        {
            throw new NotFoundException("Worker");
        }

        return (new Booker(company, settings), worker);
    }

    private static void ThrowIfBroken(BookingRules rules, DateTimeOffset startsAt, DateTimeOffset endsAt, string? note, DateTimeOffset now, bool checkStart)
    {
        if (endsAt <= startsAt)
        {
            throw ValidationException.For("EndsAt", Texts.Get("The end must be after the start."));
        }

        if (note?.Trim().Length > Booking.NoteMaxLength || !Text.IsClean(note, multiline: true))
        {
            throw ValidationException.For("Note", Texts.Format("The note must be at most {0} characters, without control characters.", Booking.NoteMaxLength));
        }

        if (checkStart && startsAt < now - PastTolerance)
        {
            throw new DomainException("booking_in_past", Texts.Get("The booking would start in the past. Choose a start from now on."));
        }

        if (endsAt - startsAt > TimeSpan.FromHours(rules.MaxHours))
        {
            throw new DomainException("booking_too_long", Texts.Plural("A booking may last at most {0} hours.", rules.MaxHours));
        }

        if (startsAt > now + TimeSpan.FromDays(rules.HorizonDays))
        {
            throw new DomainException("booking_too_far", Texts.Plural("Bookings can start at most {0} days ahead.", rules.HorizonDays));
        }
    }

    /// <summary>
    /// Saves the booking inside a transaction that first share-locks the item (a retirement waits,
    /// as for an activation) and looks for an overlap, which names the booking in the way. SQLite
    /// runs such transactions one at a time; on PostgreSQL two may both find none, and the exclusion
    /// constraint refuses the second.
    /// </summary>
    private async Task SaveAsync(Actor actor, Booking booking, string action, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (db.Entry(booking).State != EntityState.Deleted)
            {
                if (!await db.Equipment.AnyAsync(e => e.Id == booking.EquipmentId && e.CompanyId == booking.CompanyId, cancellationToken))
                {
                    throw new NotFoundException("Equipment");
                }

                if (await db.ShareLockedStatusAsync(booking.EquipmentId, cancellationToken) == EquipmentStatus.Retired)
                {
                    throw new DomainException("equipment_unavailable", Texts.Get("This item has been retired and cannot be booked."));
                }

                var clash = await db.Bookings.AsNoTracking()
                    .Where(b => b.EquipmentId == booking.EquipmentId && b.Id != booking.Id && b.StartsAt < booking.EndsAt && b.EndsAt > booking.StartsAt)
                    .OrderBy(b => b.StartsAt)
                    .Select(b => new { b.StartsAt, b.EndsAt })
                    .FirstOrDefaultAsync(cancellationToken);
                if (clash is not null)
                {
                    throw await OverlapAsync(booking, clash.StartsAt, clash.EndsAt, cancellationToken);
                }
            }

            db.Record(now, actor, booking.CompanyId, action, nameof(Booking), booking.Id, $"{booking.EquipmentId} {booking.StartsAt:O}/{booking.EndsAt:O}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ExclusionViolation.Is(ex, BookingConfiguration.NoOverlapConstraint))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                throw await OverlapAsync(booking, null, null, cancellationToken);
            }
        }

        await events.PublishAsync(new EquipmentUsageChanged(booking.CompanyId, booking.EquipmentId, booking.WorkerId, UsageChangeKind.BookingsChanged, now), cancellationToken);
    }

    private async Task<DomainException> OverlapAsync(Booking booking, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        if (from is null || to is null)
        {
            // The booking that won the race: read it now that it has committed.
            var winner = await db.Bookings.AsNoTracking()
                .Where(b => b.EquipmentId == booking.EquipmentId && b.StartsAt < booking.EndsAt && b.EndsAt > booking.StartsAt)
                .OrderBy(b => b.StartsAt).Select(b => new { b.StartsAt, b.EndsAt }).FirstOrDefaultAsync(cancellationToken);
            (from, to) = (winner?.StartsAt, winner?.EndsAt);
        }

        if (from is null || to is null)
        {
            return new DomainException("booking_overlaps", Texts.Get("Someone booked this item for that time a moment ago. Choose another time."));
        }

        var zone = await db.Companies.AsNoTracking().Where(c => c.Id == booking.CompanyId).Select(c => c.TimeZone).SingleAsync(cancellationToken);
        var now = time.GetUtcNow();
        return new DomainException("booking_overlaps", Texts.Format("The item is already booked from {0} to {1}. Choose another time.", CompanyTime.Describe(zone, from.Value, now), CompanyTime.Describe(zone, to.Value, now)));
    }
}
