using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Domain.Data;

/// <summary>Recognises PostgreSQL's refusal of a row by an exclusion constraint (two bookings of one item overlapping).</summary>
public static class ExclusionViolation
{
    public static bool Is(DbUpdateException ex, string constraintName)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } pg && pg.ConstraintName == constraintName;
    }
}
