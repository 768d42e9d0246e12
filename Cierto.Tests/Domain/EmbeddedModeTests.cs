using System.Diagnostics.Metrics;
using Cierto.Domain.Accounts;
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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
