namespace Cierto.Domain.Auditing;

/// <summary>Who did what to what, when. Rows are only ever added.</summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(DateTimeOffset at, Guid? actorId, Guid? companyId, string action, string targetType, string? targetId, string? details = null)
    {
        At = at;
        ActorId = actorId;
        CompanyId = companyId;
        Action = action;
        TargetType = targetType;
        TargetId = targetId;
        Details = details;
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public Guid? ActorId { get; private set; }

    public Guid? CompanyId { get; private set; }

    public string Action { get; private set; } = string.Empty;

    public string TargetType { get; private set; } = string.Empty;

    public string? TargetId { get; private set; }

    public string? Details { get; private set; }
}
