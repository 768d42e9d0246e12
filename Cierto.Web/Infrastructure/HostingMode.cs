using Cierto.Domain.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Embedded (SQLite file, in-process services) or production (PostgreSQL, and Redis when
/// <c>ConnectionStrings:Redis</c> is set), read once from configuration and checked.
/// </summary>
public sealed record HostingMode(DatabaseSettings Database, string? RedisConnectionString, string DataDirectory)
{
    public const string PostgresKey = "ConnectionStrings:Postgres";
    public const string RedisKey = "ConnectionStrings:Redis";
    public const string DataDirectoryKey = "Cierto:DataDirectory";

    public bool UsesRedis => RedisConnectionString is not null;

    public bool IsEmbedded => Database.Provider == DatabaseProvider.Sqlite;

    public static HostingMode Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var dataDirectory = configuration[DataDirectoryKey];
        dataDirectory = string.IsNullOrWhiteSpace(dataDirectory)
            ? Path.Combine(environment.ContentRootPath, "App_Data")
            : Path.GetFullPath(dataDirectory, environment.ContentRootPath);

        var redis = configuration[RedisKey];
        redis = string.IsNullOrWhiteSpace(redis) ? null : ValidateRedis(redis);

        var postgres = configuration[PostgresKey];
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new HostingMode(new DatabaseSettings(DatabaseProvider.Postgres, ValidatePostgres(postgres)), redis, dataDirectory);
        }

        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupConfigurationException(DataDirectoryKey, $"points at '{dataDirectory}', which cannot be created: {ex.Message}");
        }

        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "cierto.db"), Cache = SqliteCacheMode.Default };
        return new HostingMode(new DatabaseSettings(DatabaseProvider.Sqlite, sqlite.ToString()), redis, dataDirectory);
    }

    private static string ValidatePostgres(string connectionString)
    {
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                throw new StartupConfigurationException(PostgresKey, "has no Host.");
            }

            return connectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new StartupConfigurationException(PostgresKey, $"is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }

    private static string ValidateRedis(string connectionString)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            if (options.EndPoints.Count == 0)
            {
                throw new StartupConfigurationException(RedisKey, "names no Redis server.");
            }

            return connectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or RedisConnectionException)
        {
            throw new StartupConfigurationException(RedisKey, $"is not a valid Redis connection string: {ex.Message}");
        }
    }
}
