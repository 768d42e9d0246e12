using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and Redis servers the whole test run shares: from
/// <c>CIERTO_TEST_POSTGRES</c> / <c>CIERTO_TEST_REDIS</c> when set (./test.sh sets them), else
/// from Testcontainers (needs Docker). Started once, on first use.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<string>> Postgres = new(StartPostgresAsync);
    private static readonly Lazy<Task<string>> Redis = new(StartRedisAsync);

    /// <summary>A connection string to the server's maintenance database, for a role that may create databases.</summary>
    public static Task<string> PostgresServerAsync() => Postgres.Value;

    public static Task<string> RedisAsync() => Redis.Value;

    private static async Task<string> StartPostgresAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CIERTO_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new NpgsqlConnectionStringBuilder(fromEnvironment) { Pooling = true, MaxPoolSize = 200 }.ToString();
        }

        try
        {
            // Build() itself throws when there is no Docker engine, so it belongs inside the try.
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception ex) when (ex is DockerUnavailableException or InvalidOperationException or AggregateException)
        {
            throw new InvalidOperationException("No PostgreSQL for the tests: set CIERTO_TEST_POSTGRES, run ./test.sh (it installs and starts one), or start Docker.", ex);
        }
    }

    private static async Task<string> StartRedisAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CIERTO_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        try
        {
            var container = new RedisBuilder("redis:7-alpine").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception ex) when (ex is DockerUnavailableException or InvalidOperationException or AggregateException)
        {
            throw new InvalidOperationException("No Redis for the tests: set CIERTO_TEST_REDIS, run ./test.sh (it installs and starts one), or start Docker.", ex);
        }
    }
}
