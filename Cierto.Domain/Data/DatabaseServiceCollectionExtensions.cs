using Cierto.Domain.Adapters.Postgres;
using Cierto.Domain.Adapters.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Domain.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CiertoDbContext"/> (scoped, for Identity and request handlers) and
    /// <see cref="IDbContextFactory{CiertoDbContext}"/> (for circuits and background work), both
    /// backed by one pool of the provider-specific subclass that owns the migrations.
    /// </summary>
    public static IServiceCollection AddCiertoDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        return settings.Provider switch
        {
            DatabaseProvider.Postgres => services.AddProviderContext<PostgresCiertoDbContext>(o => ConfigurePostgres(o, settings.ConnectionString)),
            DatabaseProvider.Sqlite => services.AddProviderContext<SqliteCiertoDbContext>(o => ConfigureSqlite(o, settings.ConnectionString)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
    }

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsHistoryTable("__EFMigrationsHistory")
            .ExecutionStrategy(dependencies => new ReadRetryingExecutionStrategy(dependencies)));

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString);

    /// <summary>Creates a context of the right provider outside dependency injection (tools, tests).</summary>
    public static CiertoDbContext CreateContext(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Provider switch
        {
            DatabaseProvider.Postgres => new PostgresCiertoDbContext(Build<PostgresCiertoDbContext>(o => ConfigurePostgres(o, settings.ConnectionString))),
            _ => new SqliteCiertoDbContext(Build<SqliteCiertoDbContext>(o => ConfigureSqlite(o, settings.ConnectionString))),
        };
    }

    private static DbContextOptions<T> Build<T>(Action<DbContextOptionsBuilder> configure)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        configure(builder);
        return builder.Options;
    }

    private static IServiceCollection AddProviderContext<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : CiertoDbContext
    {
        // Pooled: a request reuses a reset context instead of building one (measured in bench/).
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<CiertoDbContext>, ProviderContextFactory<TContext>>();
        services.AddScoped<CiertoDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        return services;
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CiertoDbContext>
        where TContext : CiertoDbContext
    {
        public CiertoDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
