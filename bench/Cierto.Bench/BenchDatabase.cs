using System.Diagnostics;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Bench;

/// <summary>
/// A migrated database of its own for one benchmark run, dropped at the end
/// (kept with CIERTO_BENCH_KEEP_DATABASE=1, for EXPLAIN), and the timing of a query scenario on it.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private const int WarmUpRuns = 5;
    private readonly string server;

    private BenchDatabase(string server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        Settings = new DatabaseSettings(DatabaseProvider.Postgres, ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public DatabaseSettings Settings { get; }

    public static async Task<BenchDatabase> CreateAsync(string server, string prefix)
    {
        var database = new BenchDatabase(server, $"{prefix}_{Environment.ProcessId}");
        await Sql.DropDatabaseAsync(server, database.Name);
        await Sql.ExecuteAsync(server, $"CREATE DATABASE \"{database.Name}\"");
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database.Settings);
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>
    /// What autovacuum does to a table soon after a bulk load: statistics, and the visibility map
    /// that lets PostgreSQL answer from an index alone. Timing before it would measure a state
    /// that lasts a minute in production.
    /// </summary>
    public Task SettleAsync() => Sql.ExecuteAsync(ConnectionString, "VACUUM (ANALYZE) \"Equipment\", \"UsageSessions\", \"AspNetUsers\"");

    /// <summary>
    /// Runs <paramref name="scenario"/> <paramref name="iterations"/> times after the warm-up runs, a fresh
    /// DbContext per call as a request has; the sorted wall-clock times in ms and the last result.
    /// </summary>
    public async Task<(List<double> Timings, T Last)> TimeAsync<T>(int iterations, Func<CiertoDbContext, Task<T>> scenario)
    {
        var timings = new List<double>();
        T last = default!;
        for (var i = 0; i < iterations + WarmUpRuns; i++)
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(Settings);
            var watch = Stopwatch.StartNew();
            last = await scenario(db);
            watch.Stop();
            if (i >= WarmUpRuns)
            {
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        return (timings, last);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("CIERTO_BENCH_KEEP_DATABASE") == "1")
        {
            Console.WriteLine($"Kept the database {Name} for EXPLAIN (CIERTO_BENCH_KEEP_DATABASE=1); drop it when done.");
            return;
        }

        await Sql.DropDatabaseAsync(server, Name);
    }
}
