using Microsoft.EntityFrameworkCore.Design;

namespace Cierto.Domain.Data;

// Used by `dotnet ef migrations add`; the connection strings only have to parse, nothing connects.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCiertoDbContext>
{
    public PostgresCiertoDbContext CreateDbContext(string[] args) =>
        (PostgresCiertoDbContext)DatabaseServiceCollectionExtensions.CreateContext(
            new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=cierto_design"));
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCiertoDbContext>
{
    public SqliteCiertoDbContext CreateDbContext(string[] args) =>
        (SqliteCiertoDbContext)DatabaseServiceCollectionExtensions.CreateContext(
            new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=cierto_design.db"));
}
