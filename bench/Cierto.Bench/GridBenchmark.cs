using System.Diagnostics;
using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Bench;

/// <summary>
/// Equipment grid: one company with many items on real PostgreSQL, timing the admin list query
/// (EquipmentService.ListAsync, the grid's only data call) per scenario.
/// </summary>
internal static class GridBenchmark
{
    public static async Task RunAsync(string server, int items, int iterations)
    {
        await using var database = await BenchDatabase.CreateAsync(server, "cierto_bench");
        var seed = Stopwatch.StartNew();
        var (companyId, adminId) = await Seeder.SeedAsync(database.ConnectionString, items);
        await database.SettleAsync();
        Results.Note($"Seeded {items:N0} items (5 % in use) in {seed.Elapsed.TotalSeconds:0.0} s; {iterations} timed runs per scenario after 5 warm-up runs.");

        var admin = new Actor(adminId, companyId, [Roles.CompanyAdmin]);
        var scenarios = new (string Name, EquipmentQuery Query, PageRequest Page)[]
        {
            ("first page, by name (50 rows)", new EquipmentQuery(), new PageRequest(1, 50)),
            ("page 1000, by name (50 rows)", new EquipmentQuery(), new PageRequest(1000, 50)),
            ("search \"drill 12\"", new EquipmentQuery("drill 12"), new PageRequest(1, 50)),
            ("filter: in use", new EquipmentQuery(Filter: EquipmentFilter.InUse), new PageRequest(1, 50)),
            ("filter: free, by inventory no. desc", new EquipmentQuery(Filter: EquipmentFilter.Free, Sort: EquipmentSort.InventoryNumber, Descending: true), new PageRequest(1, 50)),
            ("200 rows, by category", new EquipmentQuery(Sort: EquipmentSort.Category), new PageRequest(3, 200)),
        };

        var table = Results.Table("scenario", "median ms", "p99 ms", "rows", "total");
        foreach (var (name, query, page) in scenarios)
        {
            var (timings, last) = await database.TimeAsync(iterations, db =>
                new EquipmentService(db, new Cierto.Domain.Live.InProcessEventBus(), new EquipmentInputValidator(), TimeProvider.System).ListAsync(admin, query, page));
            table.Add(name, $"{Stats.Percentile(timings, 0.50):0.00}", $"{Stats.Percentile(timings, 0.99):0.00}", $"{last.Items.Count}", $"{last.Total:N0}{(last.TotalIsExact ? "" : "+")}");
        }
    }
}
