using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace Cierto.Domain.Adapters.Sqlite;

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCiertoDbContext>
{
    public SqliteCiertoDbContext CreateDbContext(string[] args) =>
        (SqliteCiertoDbContext)DatabaseServiceCollectionExtensions.CreateContext(
            new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=cierto_design.db"));
}
