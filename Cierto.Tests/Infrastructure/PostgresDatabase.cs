using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A class fixture: one fresh, fully migrated PostgreSQL database per test class, copied from
/// a template that is migrated once per run (CREATE DATABASE ... TEMPLATE takes a fraction of a
/// second). <see cref="ResetAsync"/> empties it between tests when a class needs that.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static readonly string RunId = $"{Environment.ProcessId}_{Random.Shared.Next(100_000, 999_999)}";
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private readonly Func<Task<string>>? ownServer;
    private string? serverConnectionString;

    /// <summary>A database on the server the whole run shares, copied from the migrated template.</summary>
    public PostgresDatabase()
    {
    }

    private PostgresDatabase(Func<Task<string>> server) => ownServer = server;

    /// <summary>A database on another server (a fault test's own cluster), migrated on creation.</summary>
    public static PostgresDatabase OnServer(Func<Task<string>> server) => new(server);

    public string Name { get; } = $"cierto_t_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = string.Empty;

    public DatabaseSettings Settings => new(DatabaseProvider.Postgres, ConnectionString);

    public async Task InitializeAsync()
    {
        if (ownServer is not null)
        {
            serverConnectionString = await ownServer();
            await ExecuteOnServerAsync(serverConnectionString, $"CREATE DATABASE \"{Name}\"");
            ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = Name }.ToString();
            await using var db = CreateContext();
            await db.Database.MigrateAsync();
            return;
        }

        serverConnectionString = await TestServers.PostgresServerAsync();
        var template = await Template.Value;
        await ExecuteOnServerAsync(serverConnectionString, $"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = Name }.ToString();
    }

    public CiertoDbContext CreateContext() => DatabaseServiceCollectionExtensions.CreateContext(Settings);

    /// <summary>Deletes every row but the migration history and the seeded roles.</summary>
    public async Task ResetAsync()
    {
        await using var db = CreateContext();
        var tables = await db.Database.SqlQueryRaw<string>(
            """
            SELECT quote_ident(tablename) AS "Value" FROM pg_tables
            WHERE schemaname = 'public' AND tablename NOT IN ('__EFMigrationsHistory', 'AspNetRoles')
            """).ToListAsync();
        if (tables.Count > 0)
        {
#pragma warning disable EF1002 // table names come from the catalogue, quoted by quote_ident
            await db.Database.ExecuteSqlRawAsync($"TRUNCATE {string.Join(", ", tables)} RESTART IDENTITY CASCADE");
#pragma warning restore EF1002
        }
    }

    public async Task DisposeAsync()
    {
        if (serverConnectionString is null || ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await ExecuteOnServerAsync(serverConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // Autovacuum is working on it and only a superuser may stop that; the database is
            // uniquely named and harmless, so leave it rather than fail the test class.
        }
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var server = await TestServers.PostgresServerAsync();
        var name = $"cierto_tpl_{RunId}";
        await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ToString();
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(new DatabaseSettings(DatabaseProvider.Postgres, connectionString)))
        {
            await db.Database.MigrateAsync();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
        };
        return name;
    }

    private static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await CreateLock.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            CreateLock.Release();
        }
    }
}
