using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

using static Cierto.Tests.Infrastructure.AppFixture;

namespace Cierto.Tests.Domain;

/// <summary>Bookings on real PostgreSQL: who gets a contested range, and what a booking does to activation.</summary>
public sealed class BookingTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<Guid> BookAsync(Actor actor, Guid itemId, DateTimeOffset from, DateTimeOffset to, Guid? workerId = null) =>
        app.RunAsync<BookingService, Guid>(s => s.CreateAsync(actor, new BookingInput(itemId, from, to, null, workerId)));

    private async Task<Guid> SeedBookingAsync(Guid companyId, Guid itemId, Guid workerId, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? createdAt = null)
    {
        await using var db = app.Db();
        var booking = new Booking(companyId, itemId, workerId, from, to, null, workerId, createdAt ?? DateTimeOffset.UtcNow.AddDays(-1));
        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        return booking.Id;
    }

    [Fact]
    public async Task Of_fifty_concurrent_overlapping_bookings_exactly_one_wins()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var workers = new List<Actor>();
        for (var i = 0; i < 50; i++)
        {
            workers.Add((await app.CreateUserAsync(Roles.Worker, companyId)).Actor);
        }

        using var start = new ManualResetEventSlim();
        var attempts = workers.Select((w, i) => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                // Each a different range, every one overlapping every other: [h+1 + i min, h+3 + i min).
                await BookAsync(w, item.Id, Hour(1).AddMinutes(i), Hour(3).AddMinutes(i));
                return "booked";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o == "booked"));
        Assert.All(outcomes.Where(o => o != "booked"), o => Assert.Equal("booking_overlaps", o));
        await using var db = app.Db();
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.EquipmentId == item.Id));
    }

    [Fact]
    public async Task Back_to_back_bookings_both_succeed_and_an_overlap_names_the_booking_in_the_way()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var (_, first) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, second) = await app.CreateUserAsync(Roles.Worker, companyId);

        await BookAsync(first, item.Id, Hour(2), Hour(4));
        await BookAsync(second, item.Id, Hour(4), Hour(6));
        var overlap = await Assert.ThrowsAsync<DomainException>(() => BookAsync(second, item.Id, Hour(3), Hour(5)));

        Assert.Equal("booking_overlaps", overlap.Code);
        Assert.StartsWith("The item is already booked from ", overlap.Message, StringComparison.Ordinal);
        await using var db = app.Db();
        Assert.Equal(2, await db.Bookings.CountAsync(b => b.EquipmentId == item.Id));
    }

    [Fact]
    public async Task During_someone_elses_booking_another_worker_is_refused_with_the_time_it_is_free_again_and_the_holder_activates()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var (holderUser, holder) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (nextUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, other) = await app.CreateUserAsync(Roles.Worker, companyId);
        var now = DateTimeOffset.UtcNow;
        var holding = await SeedBookingAsync(companyId, item.Id, holderUser.Id, now.AddMinutes(-10), now.AddHours(2));
        var chained = now.AddHours(2).AddMinutes(5); // closer than the 15-minute grace: the item stays taken
        await SeedBookingAsync(companyId, item.Id, nextUser.Id, chained, chained.AddHours(1));

        var refused = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(other, item.ActivationCode));
        Assert.Equal(ActivationStatus.Booked, refused.Status);
        Assert.Equal(chained.AddHours(1), refused.FreeAt!.Value, TimeSpan.FromSeconds(1));
        Assert.StartsWith("Laser level is booked by someone else. It is free again ", refused.Message, StringComparison.Ordinal);

        var taken = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(holder, item.ActivationCode));
        Assert.Equal(ActivationStatus.Activated, taken.Status);
        var row = await app.RunAsync<BookingService, BookingRow>(s => s.GetAsync(holder, holding));
        Assert.Equal(BookingState.CheckedOut, row.State);
    }

    [Fact]
    public async Task Within_the_grace_before_a_booking_others_are_refused_but_before_it_they_may_take_the_item()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var soon = await app.AddItemAsync(companyId, "Soon");
        var later = await app.AddItemAsync(companyId, "Later");
        var (booker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, other) = await app.CreateUserAsync(Roles.Worker, companyId);
        var now = DateTimeOffset.UtcNow;
        await SeedBookingAsync(companyId, soon.Id, booker.Id, now.AddMinutes(10), now.AddHours(1)); // inside the 15-minute grace
        await SeedBookingAsync(companyId, later.Id, booker.Id, now.AddMinutes(40), now.AddHours(2));

        Assert.Equal(ActivationStatus.Booked, (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(other, soon.ActivationCode))).Status);
        Assert.Equal(ActivationStatus.Activated, (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(other, later.ActivationCode))).Status);
    }

    [Fact]
    public async Task An_admin_who_also_works_may_take_a_booked_item_and_it_is_audited()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var (booker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (promoted, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<WorkerService>(s => s.PromoteToAdminAsync(admin, promoted.Id));
        var both = new Actor(promoted.Id, companyId, [Roles.Worker, Roles.CompanyAdmin]);
        var bookingId = await SeedBookingAsync(companyId, item.Id, booker.Id, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        var result = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(both, item.ActivationCode));

        Assert.Equal(ActivationStatus.Activated, result.Status);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "usage.booking-overridden" && a.ActorId == promoted.Id && a.TargetId == bookingId.ToString()));
    }

    [Fact]
    public async Task The_company_rules_refuse_long_early_far_and_disallowed_bookings_with_their_codes()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 8, 14, 15, 60)));

        Task<DomainException> Refused(Actor who, DateTimeOffset from, DateTimeOffset to) => Assert.ThrowsAnyAsync<DomainException>(() => BookAsync(who, item.Id, from, to));
        Assert.Equal("booking_too_long", (await Refused(worker, Hour(1), Hour(10))).Code);
        Assert.Equal("booking_in_past", (await Refused(worker, Hour(-2), Hour(1))).Code);
        Assert.Equal("booking_too_far", (await Refused(worker, Hour(24 * 15), Hour(24 * 15 + 2))).Code);
        Assert.Equal("validation", (await Refused(worker, Hour(3), Hour(2))).Code);

        await app.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(false, 8, 14, 15, 60)));
        Assert.Equal("bookings_disabled", (await Refused(worker, Hour(1), Hour(2))).Code);
        await BookAsync(admin, item.Id, Hour(1), Hour(2), worker.UserId); // admins still book for workers

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 0, 400, -1, 60))));
        Assert.Equal(["GraceMinutes", "HorizonDays", "MaxHours"], invalid.Errors.Keys.Order());
        await using var db = app.Db();
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.EquipmentId == item.Id));
    }

    [Fact]
    public async Task A_foreign_item_or_booking_answers_as_a_missing_one_and_workers_see_and_change_only_their_own()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (otherCompany, _, otherAdmin) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level");
        var foreignItem = await app.AddItemAsync(otherCompany, "Laser level");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, colleague) = await app.CreateUserAsync(Roles.Worker, companyId);
        var mine = await BookAsync(worker, item.Id, Hour(1), Hour(2));
        var theirs = await BookAsync(colleague, item.Id, Hour(3), Hour(4));

        await Assert.ThrowsAsync<NotFoundException>(() => BookAsync(worker, foreignItem.Id, Hour(1), Hour(2)));
        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<BookingService>(s => s.CancelAsync(worker, theirs)));
        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<BookingService>(s => s.CancelAsync(otherAdmin, mine)));
        await Assert.ThrowsAsync<ForbiddenException>(() => BookAsync(worker, item.Id, Hour(5), Hour(6), colleague.UserId));

        var listed = await app.RunAsync<BookingService, Paged<BookingRow>>(s => s.ListAsync(worker, new BookingFilter(), new PageRequest(1, 50)));
        Assert.Equal([mine], listed.Items.Select(b => b.Id));
        var all = await app.RunAsync<BookingService, Paged<BookingRow>>(s => s.ListAsync(admin, new BookingFilter(item.Id), new PageRequest(1, 50)));
        Assert.Equal([mine, theirs], all.Items.Select(b => b.Id));

        // Availability tells a worker that the item is booked, not by whom.
        var availability = await app.RunAsync<BookingService, Availability>(s => s.AvailabilityAsync(worker, item.Id, Hour(0), Hour(6)));
        Assert.Equal([true, false], availability.Booked.Select(b => b.Mine));
        Assert.Null(availability.Booked[1].WorkerName);
        Assert.Equal([(Hour(0), Hour(1)), (Hour(2), Hour(3)), (Hour(4), Hour(6))], availability.Free);

        await app.RunAsync<BookingService>(s => s.CancelAsync(worker, mine));
        await using var db = app.Db();
        Assert.False(await db.Bookings.AnyAsync(b => b.Id == mine));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "booking.cancelled" && a.TargetId == mine.ToString()));
    }

    [Fact]
    public async Task A_booking_typed_on_a_DST_day_in_one_zone_is_the_same_instants_read_in_another()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetTimeZoneAsync(admin, "America/New_York"));
        await app.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 72, 365, 15, 60)));
        var item = await app.AddItemAsync(companyId, "Laser level");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var newYork = CompanyTime.Zone("America/New_York");

        // 14 March 2027: New York's clocks jump from 02:00 to 03:00. 01:30–03:30 on the wall is one hour.
        var from = CompanyTime.Instant(newYork, new DateTime(2027, 3, 14, 1, 30, 0));
        var to = CompanyTime.Instant(newYork, new DateTime(2027, 3, 14, 3, 30, 0));
        var id = await BookAsync(worker, item.Id, from, to);
        var row = await app.RunAsync<BookingService, BookingRow>(s => s.GetAsync(worker, id));

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 6, 30, 0, TimeSpan.Zero), row.StartsAt);
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 30, 0, TimeSpan.Zero), row.EndsAt);
        var berlin = CompanyTime.Zone("Europe/Berlin"); // still on winter time that day
        Assert.Equal(new DateTime(2027, 3, 14, 7, 30, 0), CompanyTime.ToLocal(berlin, row.StartsAt).DateTime);
        Assert.Equal(new DateTime(2027, 3, 14, 8, 30, 0), CompanyTime.ToLocal(berlin, row.EndsAt).DateTime);

        // A wall-clock time the jump skipped (02:30) is read as the first real instant after it.
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), CompanyTime.Instant(newYork, new DateTime(2027, 3, 14, 2, 30, 0)));
    }
}
