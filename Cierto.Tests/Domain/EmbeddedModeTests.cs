using System.Diagnostics.Metrics;
using Cierto.Domain.Accounts;
using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Limits;
using Cierto.Domain.Live;
using Cierto.Domain.Telemetry;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

/// <summary>The default, embedded mode: the same services and queries on SQLite.</summary>
public sealed class EmbeddedModeTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"cierto-embedded-{Guid.NewGuid():N}.db");

    private CiertoDbContext Db() => DatabaseServiceCollectionExtensions.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"));

    [Fact]
    public async Task Equipment_usage_history_and_dashboard_queries_run_on_sqlite()
    {
        var now = DateTimeOffset.UtcNow;
        var bus = new InProcessEventBus();
        var events = new List<EquipmentUsageChanged>();
        Guid companyId;
        Actor admin, worker;
        await using (var db = Db())
        {
            await db.Database.MigrateAsync();
            var company = new Company("Embedded Ltd", "EMB-1", now);
            var adminUser = new CiertoUser { Id = Guid.NewGuid(), UserName = "a@e.test", Email = "a@e.test", NormalizedEmail = "A@E.TEST", DisplayName = "Ann Admin", CompanyId = company.Id };
            var workerUser = new CiertoUser { Id = Guid.NewGuid(), UserName = "w@e.test", Email = "w@e.test", NormalizedEmail = "W@E.TEST", DisplayName = "Walt Worker", CompanyId = company.Id };
            db.AddRange(company, adminUser, workerUser);
            await db.SaveChangesAsync();
            companyId = company.Id;
            admin = new Actor(adminUser.Id, company.Id, [Roles.CompanyAdmin]);
            worker = new Actor(workerUser.Id, company.Id, [Roles.Worker]);
        }

        using var subscription = bus.Subscribe(companyId, e =>
        {
            events.Add(e);
            return Task.CompletedTask;
        });
        EquipmentRow drill;
        await using (var db = Db())
        {
            var equipment = new EquipmentService(db, bus, new EquipmentInputValidator(), TimeProvider.System);
            drill = await equipment.CreateAsync(admin, new EquipmentInput("Hilti drill", "HD-1", "Power tools", null));
            await equipment.CreateAsync(admin, new EquipmentInput("Leica laser", "LS-1", "Measuring", null));
        }

        await using (var db = Db())
        {
            var result = await new UsageService(db, new ActivationThrottle(new InMemoryRateCounter(TimeProvider.System)), bus, new ForceReleaseRequestValidator(), new UsageMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()), TimeProvider.System).ActivateAsync(worker, drill.ActivationCode.ToLowerInvariant());
            Assert.True(result.Succeeded, result.Message);
        }

        await using (var db = Db())
        {
            var equipment = new EquipmentService(db, bus, new EquipmentInputValidator(), TimeProvider.System);
            var inUse = await equipment.ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.InUse, Sort: EquipmentSort.CreatedAt, Descending: true), new PageRequest());
            Assert.Equal("Walt Worker", Assert.Single(inUse.Items).HolderName);
            Assert.Equal(["Leica laser"], (await equipment.ListAsync(admin, new EquipmentQuery("ls-1"), new PageRequest())).Items.Select(i => i.Name));
            Assert.Empty((await equipment.ListAsync(admin, new EquipmentQuery("ls%1"), new PageRequest())).Items); // % is a character to find, not a wildcard
            Assert.Equal(["Leica laser"], (await equipment.ListFreeAsync(worker, null, null, new PageRequest())).Items.Select(i => i.Name));

            var history = await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(From: now.AddHours(-1)), new PageRequest());
            Assert.Equal("Hilti drill", Assert.Single(history.Items).EquipmentName);

            var dashboard = await new DashboardSnapshots(db, TimeProvider.System).LoadAsync(admin);
            Assert.Equal((1, 1, 0), (dashboard.InUse, dashboard.Free, dashboard.OutOfService));
            Assert.Equal(1, dashboard.InUseByHour[now.Hour]);
        }

        Assert.Contains(events, e => e.Kind == UsageChangeKind.Activated && e.EquipmentId == drill.Id);
    }

    /// <summary>
    /// SQLite has no exclusion constraint: the check runs inside the write transaction, which SQLite
    /// begins IMMEDIATE, one at a time. The booking queries (overdue, blocked, notices) run there too.
    /// </summary>
    [Fact]
    public async Task Bookings_do_not_overlap_on_sqlite_and_overdue_items_are_found()
    {
        var now = DateTimeOffset.UtcNow;
        var bus = new InProcessEventBus();
        Actor admin;
        var workers = new List<Actor>();
        EquipmentItem item;
        await using (var db = Db())
        {
            await db.Database.MigrateAsync();
            var company = new Company("Embedded Bookings", "EMB-2", now);
            item = new EquipmentItem(company.Id, "Laser level", null, null, null, now);
            db.AddRange(company, item);
            var adminUser = new CiertoUser { Id = Guid.NewGuid(), UserName = "ba@e.test", Email = "ba@e.test", NormalizedEmail = "BA@E.TEST", DisplayName = "Ann Admin", CompanyId = company.Id };
            db.Add(adminUser);
            for (var i = 0; i < 8; i++)
            {
                var user = new CiertoUser { Id = Guid.NewGuid(), UserName = $"bw{i}@e.test", Email = $"bw{i}@e.test", NormalizedEmail = $"BW{i}@E.TEST", DisplayName = $"Worker {i}", CompanyId = company.Id };
                db.Add(user);
                db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<Guid> { UserId = user.Id, RoleId = Roles.Ids[Roles.Worker] });
                workers.Add(new Actor(user.Id, company.Id, [Roles.Worker]));
            }

            await db.SaveChangesAsync();
            admin = new Actor(adminUser.Id, company.Id, [Roles.CompanyAdmin]);
        }

        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(2);
        async Task<string> BookAsync(Actor who, DateTimeOffset from, DateTimeOffset to)
        {
            await using var db = Db();
            try
            {
                await new BookingService(db, bus, TimeProvider.System).CreateAsync(who, new BookingInput(item.Id, from, to));
                return "booked";
            }
            catch (Cierto.Domain.Common.DomainException ex)
            {
                return ex.Code;
            }
        }

        var outcomes = await Task.WhenAll(workers.Select((w, i) => Task.Run(() => BookAsync(w, start.AddMinutes(i), start.AddHours(2).AddMinutes(i)))));
        Assert.Equal(1, outcomes.Count(o => o == "booked"));
        Assert.All(outcomes.Where(o => o != "booked"), o => Assert.Equal("booking_overlaps", o));
        Assert.Equal("booked", await BookAsync(workers[0], start.AddHours(3), start.AddHours(4))); // right after the winner's (which ends by +2:07)

        await using (var db = Db())
        {
            // Every read the pages make, translated for SQLite.
            var bookings = new BookingService(db, bus, TimeProvider.System);
            var listed = await bookings.ListAsync(admin, new BookingFilter(item.Id, From: start, To: start.AddDays(1)), new PageRequest());
            Assert.Equal(2, listed.Total);
            Assert.Equal(BookingState.Upcoming, (await bookings.GetAsync(admin, listed.Items[0].Id)).State);
            Assert.Equal(2, (await bookings.AvailabilityAsync(workers[0], item.Id, start, start.AddHours(6))).Booked.Count);
            Assert.True((await bookings.NextAsync(workers[0], [item.Id])).ContainsKey(item.Id));
            Assert.Equal(["Laser level"], (await bookings.BookableItemsAsync(workers[0], "laser")).Select(i => i.Name));
            Assert.Equal(8, (await bookings.BookableWorkersAsync(admin, "worker")).Count);
            Assert.True(await bookings.MayBookAsync(workers[0]));
        }

        await using (var db = Db())
        {
            // An item kept past its booking: the booking, the session and the finding, all on SQLite.
            var late = new Booking(item.CompanyId, item.Id, workers[1].UserId, now.AddHours(-3), now.AddMinutes(-30), null, admin.UserId, now.AddDays(-1));
            db.Bookings.Add(late);
            db.UsageSessions.Add(new UsageSession(item.CompanyId, item.Id, workers[1].UserId, now.AddHours(-2)));
            await db.SaveChangesAsync();
            var overdue = Assert.Single(await db.OverdueAsync(item.CompanyId, now, 10, CancellationToken.None));
            Assert.Equal(late.Id, overdue.BookingId);
            Assert.Empty(await db.BlockedAsync(item.CompanyId, now, 10, CancellationToken.None));
            Assert.Equal(1, await new BookingNotices(db, bus, TimeProvider.System).ScanAsync(TimeSpan.FromHours(1)));
            Assert.Equal(0, await new BookingNotices(db, bus, TimeProvider.System).ScanAsync(TimeSpan.FromHours(1)));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
