using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace Cierto.Domain.Adapters.Postgres;

// Used by `dotnet ef migrations add`; the connection strings only have to parse, nothing connects.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCiertoDbContext>
{
    public PostgresCiertoDbContext CreateDbContext(string[] args) =>
        (PostgresCiertoDbContext)DatabaseServiceCollectionExtensions.CreateContext(
            new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=cierto_design"));
}
