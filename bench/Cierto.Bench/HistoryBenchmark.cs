using System.Diagnostics;
using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Bench;

/// <summary>
/// The dashboard snapshot and the usage-history queries over a year of history: one company with
/// <c>workers</c> workers, four items per worker, and every worker using about three items a
/// working day for a year (roughly 400,000 sessions for 500 workers), a tenth of the items held now.
/// Each scenario is one call of the domain service the page or API makes, fresh DbContext per call.
/// </summary>
internal static class HistoryBenchmark
{
    public static async Task RunAsync(string server, int workers, int days, int iterations)
    {
        await using var database = await BenchDatabase.CreateAsync(server, "cierto_history");
        var seed = Stopwatch.StartNew();
        var (companyId, adminId, sessions) = await SeedAsync(database.ConnectionString, workers, days);
        await database.SettleAsync();
        Results.Note($"Seeded {workers:N0} workers, {workers * 4:N0} items and {sessions:N0} sessions over {days} days in {seed.Elapsed.TotalSeconds:0.0} s; {iterations} timed runs per scenario after 5 warm-up runs.");

        var admin = new Actor(adminId, companyId, [Roles.CompanyAdmin]);
        var (someWorker, someItem) = await AnyWorkerAndItemAsync(database.ConnectionString, companyId);
        var worker = new Actor(someWorker, companyId, [Roles.Worker]);
        var now = DateTimeOffset.UtcNow;
        var scenarios = new (string Name, Func<CiertoDbContext, Task<int>> Run)[]
        {
            ("dashboard snapshot", async db => (await new DashboardSnapshots(db, TimeProvider.System).LoadAsync(admin)).Holding.Count),
            ("history, first page (50)", async db => (await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(), new PageRequest(1, 50))).Items.Count),
            ("history, page 100 (50)", async db => (await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(), new PageRequest(100, 50))).Items.Count),
            ("history, last 7 days", async db => (await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(From: now.AddDays(-7), To: now), new PageRequest(1, 50))).Items.Count),
            ("history, one worker", async db => (await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(WorkerId: someWorker), new PageRequest(1, 50))).Items.Count),
            ("history, held now", async db => (await new UsageHistory(db).CompanyAsync(admin, new UsageFilter(Active: true), new PageRequest(1, 50))).Items.Count),
            ("item timeline", async db => (await new UsageHistory(db).TimelineAsync(admin, someItem, new PageRequest(1, 50))).Items.Count),
            ("worker's own history", async db => (await new UsageHistory(db).MineAsync(worker, new UsageFilter(), new PageRequest(1, 50))).Items.Count),
        };

        var table = Results.Table("scenario", "median ms", "p99 ms", "rows");
        foreach (var (name, run) in scenarios)
        {
            var (timings, rows) = await database.TimeAsync(iterations, run);
            table.Add(name, $"{Stats.Percentile(timings, 0.50):0.00}", $"{Stats.Percentile(timings, 0.99):0.00}", $"{rows}");
        }
    }

    /// <summary>
    /// Sessions on working days (Monday to Friday), three per worker a day at staggered hours, each
    /// on one of the worker's own four items, one to four hours long; a tenth of the items are held now.
    /// </summary>
    private static async Task<(Guid Company, Guid Admin, long Sessions)> SeedAsync(string connectionString, int workers, int days)
    {
        var company = Guid.NewGuid();
        var admin = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO "Companies" ("Id", "Name", "IdentificationNumber", "JoinCode", "Status", "JoinPolicy", "CreatedAt")
                    VALUES ($1, 'History Builders', 'HISTORY-1', 'HISTJN23', 0, 0, $2)
                    """) { Parameters = { new() { Value = company }, new() { Value = now.AddDays(-days - 1) } } },
                new NpgsqlBatchCommand("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp",
                        "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "DisplayName", "CompanyId", "Status", "CreatedAt")
                    SELECT CASE WHEN g = 0 THEN $2 ELSE gen_random_uuid() END, 'h' || g || '@history.test', upper('h' || g || '@history.test'), 'h' || g || '@history.test',
                        upper('h' || g || '@history.test'), true, md5(g::text), md5(g::text), false, false, true, 0, 'Worker ' || g, $1, 1, $3
                    FROM generate_series(0, $4) AS g
                    """) { Parameters = { new() { Value = company }, new() { Value = admin }, new() { Value = now.AddDays(-days - 1) }, new() { Value = workers } } },
                new NpgsqlBatchCommand("""INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ($1, $2)""")
                {
                    Parameters = { new() { Value = admin }, new() { Value = Roles.Ids[Roles.CompanyAdmin] } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO "Equipment" ("Id", "CompanyId", "Name", "InventoryNumber", "Category", "ActivationCode", "Status", "CreatedAt", "UpdatedAt", "Version")
                    SELECT gen_random_uuid(), $1, 'Tool ' || g, 'H-' || lpad(g::text, 6, '0'), 'Power tools', upper(lpad(to_hex(g), 7, '0')), 0, $2, $2, gen_random_uuid()
                    FROM generate_series(1, $3) AS g
                    """) { Parameters = { new() { Value = company }, new() { Value = now.AddDays(-days - 1) }, new() { Value = workers * 4 } } },
                // Worker w (1-based, by name order) uses items 4w-3 … 4w (by inventory number order).
                new NpgsqlBatchCommand("""
                    CREATE TEMP TABLE pairs AS
                    SELECT w."Id" AS worker, e."Id" AS item, w.n, e.k
                    FROM (SELECT "Id", row_number() OVER (ORDER BY "Email") AS n FROM "AspNetUsers" WHERE "CompanyId" = $1 AND "Id" <> $2) w
                    JOIN (SELECT "Id", row_number() OVER (ORDER BY "InventoryNumber") - 1 AS k FROM "Equipment" WHERE "CompanyId" = $1) e ON e.k / 4 = w.n - 1
                    """) { Parameters = { new() { Value = company }, new() { Value = admin } } },
                new NpgsqlBatchCommand("""
                    INSERT INTO "UsageSessions" ("Id", "CompanyId", "EquipmentId", "WorkerId", "StartedAt", "EndedAt", "EndKind", "EndedById")
                    SELECT gen_random_uuid(), $1, p.item, p.worker, s.started, s.started + make_interval(hours => (1 + (p.n + d) % 4)::int), 0, p.worker
                    FROM generate_series(1, $3) AS d
                    CROSS JOIN generate_series(0, 2) AS slot
                    JOIN pairs p ON p.k % 4 = (slot + d) % 4
                    CROSS JOIN LATERAL (SELECT date_trunc('day', $2::timestamptz) - make_interval(days => d) + make_interval(hours => 6 + slot * 4, mins => ((p.n * 7) % 60)::int) AS started) s
                    WHERE extract(isodow FROM s.started) < 6
                    """) { Parameters = { new() { Value = company }, new() { Value = now }, new() { Value = days } } },
                new NpgsqlBatchCommand("""
                    INSERT INTO "UsageSessions" ("Id", "CompanyId", "EquipmentId", "WorkerId", "StartedAt")
                    SELECT gen_random_uuid(), $1, p.item, p.worker, $2::timestamptz - make_interval(mins => (10 + p.n % 240)::int)
                    FROM pairs p WHERE p.k % 10 = 0
                    """) { Parameters = { new() { Value = company }, new() { Value = now } } },
                new NpgsqlBatchCommand("ANALYZE"),
            },
        };
        await batch.ExecuteNonQueryAsync();
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM "UsageSessions" """, connection);
        return (company, admin, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task<(Guid Worker, Guid Item)> AnyWorkerAndItemAsync(string connectionString, Guid company)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "WorkerId", "EquipmentId" FROM "UsageSessions" WHERE "CompanyId" = $1 ORDER BY "StartedAt" LIMIT 1""", connection)
        {
            Parameters = { new() { Value = company } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetGuid(1));
    }
}
