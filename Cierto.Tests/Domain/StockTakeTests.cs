using System.Threading.Channels;
using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.StockTakes;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

/// <summary>Stock-takes on real PostgreSQL, with two app instances sharing it and Redis as behind the load balancer.</summary>
public sealed class StockTakeTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<T> OnAsync<T>(IServiceProvider services, Func<StockTakeService, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StockTakeService>());
    }

    [Fact]
    public async Task Two_admins_scanning_at_once_on_two_instances_count_each_item_once_and_each_sees_the_others_scans()
    {
        var instanceA = app.App;
        await using var instanceB = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = instanceA.RedisPrefix });
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, second) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var items = new List<EquipmentItem>();
        for (var i = 0; i < 30; i++)
        {
            items.Add(await app.AddItemAsync(companyId, $"Item {i:00}"));
        }

        var id = await OnAsync(instanceA.Services, s => s.StartAsync(admin, null, null));
        var heardOnB = Channel.CreateUnbounded<EquipmentUsageChanged>();
        using var subscription = instanceB.Services.GetRequiredService<IEventBus>().Subscribe(companyId, e => heardOnB.Writer.WriteAsync(e).AsTask());
        await RedisSubscribers.WaitAsync(instanceB.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), instanceA.RedisPrefix, companyId, atLeast: 1);

        // The first admin goes through items 0–19 on instance A, the second through 10–29 on instance B, at the same time.
        using var start = new ManualResetEventSlim();
        Task<ScanResult[]> Scan(IServiceProvider services, Actor who, IEnumerable<EquipmentItem> batch) => Task.Run(async () =>
        {
            start.Wait();
            var results = new List<ScanResult>();
            foreach (var item in batch)
            {
                results.Add(await OnAsync(services, s => s.ScanAsync(who, id, Codes.Format(item.ActivationCode).ToLowerInvariant())));
            }

            return results.ToArray();
        });
        var a = Scan(instanceA.Services, admin, items.Take(20));
        var b = Scan(instanceB.Services, second, items.Skip(10));
        start.Set();
        var results = (await a).Concat(await b).ToList();

        Assert.Equal(30, results.Count(r => r.Status == ScanStatus.Counted));
        Assert.Equal(10, results.Count(r => r.Status == ScanStatus.AlreadyCounted));
        await using (var db = app.Db())
        {
            Assert.Equal(30, await db.StockTakeScans.CountAsync(s => s.StockTakeId == id));
        }

        var progress = await OnAsync(instanceB.Services, s => s.ProgressAsync(second, id));
        Assert.Equal((30, 30, 0), (progress.Expected, progress.FoundExpected, progress.NotYetFound));

        // Instance B heard instance A's scans (the page there refreshes on them).
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var heard = await heardOnB.Reader.ReadAsync(wait.Token);
        Assert.Equal(UsageChangeKind.StockTakeScanned, heard.Kind);
    }

    [Fact]
    public async Task The_report_lists_missing_items_and_items_found_out_of_service_retired_or_held_and_marks_the_missing_out_of_service()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var fine = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Fine", null, "Tools", null, "Yard")));
        var broken = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Broken", null, "Tools", null, "Yard")));
        var retired = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Old", null, "Tools", null, "Yard")));
        var held = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Held", null, "Tools", null, "Yard")));
        var lost = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Lost", "L-1", "Tools", null, "Yard")));
        var lostAndOut = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Lost and out", null, "Tools", null, "Yard")));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Elsewhere", null, "Tools", null, "Van 3")));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MarkOutOfServiceAsync(admin, broken.Id));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(admin, retired.Id));
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, held.ActivationCode));
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, lostAndOut.ActivationCode));

        var id = await app.RunAsync<StockTakeService, Guid>(s => s.StartAsync(admin, "Tools", "Yard"));
        foreach (var found in new[] { fine, broken, retired, held })
        {
            Assert.Equal(ScanStatus.Counted, (await app.RunAsync<StockTakeService, ScanResult>(s => s.ScanAsync(admin, id, found.ActivationCode))).Status);
        }

        var label = $"https://cierto.example/activate?code={fine.ActivationCode}";
        Assert.Equal(ScanStatus.AlreadyCounted, (await app.RunAsync<StockTakeService, ScanResult>(s => s.ScanAsync(admin, id, label))).Status);
        Assert.Equal(ScanStatus.UnknownCode, (await app.RunAsync<StockTakeService, ScanResult>(s => s.ScanAsync(admin, id, "ZZZZZZZ"))).Status);
        var progress = await app.RunAsync<StockTakeService, StockTakeProgress>(s => s.ProgressAsync(admin, id));
        Assert.Equal((5, 3, 1), (progress.Expected, progress.FoundExpected, progress.FoundOther)); // the retired one is found, but not expected

        await app.RunAsync<StockTakeService>(s => s.FinishAsync(admin, id));
        var report = await app.RunAsync<StockTakeService, IReadOnlyList<StockTakeReportLine>>(s => s.ReportAsync(admin, id));
        Assert.Equal(
            [("Lost", StockTakeOutcome.Missing), ("Lost and out", StockTakeOutcome.Missing), ("Fine", StockTakeOutcome.Found), ("Broken", StockTakeOutcome.FoundOutOfService), ("Old", StockTakeOutcome.FoundRetired), ("Held", StockTakeOutcome.FoundHeld)],
            report.Select(l => (l.Name, l.Outcome)));
        Assert.NotNull(report.Single(l => l.Name == "Held").HolderName);
        Assert.Equal("Yard", report.Single(l => l.Name == "Lost").Location);
        Assert.Equal("stock_take_finished", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<StockTakeService, ScanResult>(s => s.ScanAsync(admin, id, lost.ActivationCode)))).Code);

        // One step puts the missing items out of service — the one someone holds stays as it is — each audited; a second time changes nothing.
        Assert.Equal(1, await app.RunAsync<StockTakeService, int>(s => s.MarkMissingOutOfServiceAsync(admin, id)));
        Assert.Equal(0, await app.RunAsync<StockTakeService, int>(s => s.MarkMissingOutOfServiceAsync(admin, id)));
        await using var db = app.Db();
        Assert.Equal(EquipmentStatus.OutOfService, await db.Equipment.Where(e => e.Id == lost.Id).Select(e => e.Status).SingleAsync());
        Assert.Equal(EquipmentStatus.Available, await db.Equipment.Where(e => e.Id == lostAndOut.Id).Select(e => e.Status).SingleAsync());
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "equipment.out-of-service" && a.TargetId == lost.Id.ToString() && a.Details!.Contains(id.ToString())));
    }

    [Fact]
    public async Task Only_the_companys_admins_count_and_another_companys_stock_take_answers_as_missing()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var id = await app.RunAsync<StockTakeService, Guid>(s => s.StartAsync(admin, null, null));

        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<StockTakeService, Guid>(s => s.StartAsync(worker, null, null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<StockTakeService, ScanResult>(s => s.ScanAsync(worker, id, "ABC2345")));
        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<StockTakeService, StockTakeProgress>(s => s.ProgressAsync(otherAdmin, id)));
        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<StockTakeService>(s => s.FinishAsync(otherAdmin, id)));
    }

    [Fact]
    public async Task An_items_location_is_kept_changed_in_place_and_filters_the_list()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var drill = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Drill", null, null, null, "  Yard  ")));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Saw", null, null, null, "Van 3")));
        Assert.Equal("Yard", drill.Location);

        var moved = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MoveAsync(admin, drill.Id, "Van 3"));
        Assert.Equal("Van 3", moved.Location);
        var inVan = await app.RunAsync<EquipmentService, Paged<EquipmentRow>>(s => s.ListAsync(admin, new EquipmentQuery(Location: "Van 3"), new PageRequest()));
        Assert.Equal(["Drill", "Saw"], inVan.Items.Select(i => i.Name));
        Assert.Equal(["Van 3"], await app.RunAsync<EquipmentService, IReadOnlyList<string>>(s => s.LocationsAsync(admin)));
        await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.MoveAsync(admin, drill.Id, new string('x', 101))));
        Assert.Null((await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MoveAsync(admin, drill.Id, " "))).Location);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "equipment.moved" && a.TargetId == drill.Id.ToString()));
    }
}
