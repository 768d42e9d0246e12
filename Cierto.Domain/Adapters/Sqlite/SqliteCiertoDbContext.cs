using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Adapters.Sqlite;

public sealed class SqliteCiertoDbContext(DbContextOptions<SqliteCiertoDbContext> options) : CiertoDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type that sorts and compares correctly with offsets; store UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}
