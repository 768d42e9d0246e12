using Npgsql;
using StackExchange.Redis;

namespace Cierto.Bench;

/// <summary>The servers a benchmark runs against: CIERTO_BENCH_* when set, else the tests' CIERTO_TEST_* (bench/run.sh sets them).</summary>
internal static class Servers
{
    /// <summary>A PostgreSQL server connection string whose role may create databases.</summary>
    public static string Postgres() => Find("POSTGRES", "a PostgreSQL server connection string");

    public static string Redis() => Find("REDIS", "a Redis endpoint");

    public static async Task<string> PostgresVersionAsync(string server)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection.ServerVersion;
    }

    public static async Task<string> RedisVersionAsync(string endpoint)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint);
        return redis.GetServers().FirstOrDefault()?.Version.ToString() ?? "unknown";
    }

    private static string Find(string name, string what) =>
        Environment.GetEnvironmentVariable($"CIERTO_BENCH_{name}")
        ?? Environment.GetEnvironmentVariable($"CIERTO_TEST_{name}")
        ?? throw new InvalidOperationException($"Set CIERTO_BENCH_{name} (or CIERTO_TEST_{name}) to {what}; bench/run.sh does.");
}
