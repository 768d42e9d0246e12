using Cierto.Domain.Accounts;
using Cierto.Domain.Data;

namespace Cierto.Domain.Auditing;

public static class AuditLog
{
    /// <summary>Adds an entry to the context; it is saved with the change it describes.</summary>
    public static void Record(this CiertoDbContext db, DateTimeOffset at, Actor? actor, Guid? companyId, string action, string targetType, object? targetId, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AuditEntries.Add(new AuditEntry(at, actor?.UserId, companyId, action, targetType, targetId?.ToString(), details));
    }
}
