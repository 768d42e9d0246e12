using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Domain.Data;

/// <summary>Recognises a unique-index violation, so a service can turn it into a clear result.</summary>
public static class UniqueViolation
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <param name="ex">What SaveChanges threw.</param>
    /// <param name="indexName">
    /// When given, PostgreSQL must name this index. SQLite does not report index names, so there
    /// any unique violation matches; callers only pass a name where one index can be violated.
    /// </param>
    public static bool Is(DbUpdateException ex, string? indexName = null)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.InnerException switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && (indexName is null || pg.ConstraintName == indexName),
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
            _ => false,
        };
    }
}
