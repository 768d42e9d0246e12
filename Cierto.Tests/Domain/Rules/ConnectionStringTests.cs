using Cierto.Domain.Data;
using Npgsql;

namespace Cierto.Tests.Domain.Rules;

/// <summary>What the app adds to a PostgreSQL connection string it is given, and what it leaves to the operator.</summary>
public sealed class ConnectionStringTests
{
    [Theory]
    [InlineData("Host=db;Database=cierto", DatabaseServiceCollectionExtensions.AutoPreparedStatements)]
    [InlineData("Host=db;Database=cierto;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=cierto;Max Auto Prepare=7", 7)]
    public void Recurring_statements_are_prepared_unless_the_connection_string_says_otherwise(string given, int prepared)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseServiceCollectionExtensions.WithAutoPrepare(given));

        Assert.Equal((prepared, "db", "cierto"), (tuned.MaxAutoPrepare, tuned.Host, tuned.Database));
    }
}
