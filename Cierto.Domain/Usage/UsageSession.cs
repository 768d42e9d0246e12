using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Usage;

public enum SessionEndKind
{
    Worker = 0,
    ForceRelease = 1,
}

/// <summary>
/// A worker holding an item. While <see cref="EndedAt"/> is null the session is active; a partial
/// unique index lets at most one active session exist per item.
/// </summary>
public sealed class UsageSession
{
    public const int ReasonMaxLength = 500;

    private UsageSession()
    {
    }

    public UsageSession(Guid companyId, Guid equipmentId, Guid workerId, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CompanyId = companyId;
        EquipmentId = equipmentId;
        WorkerId = workerId;
        StartedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid CompanyId { get; private set; }

    public Guid EquipmentId { get; private set; }

    public Guid WorkerId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public SessionEndKind? EndKind { get; private set; }

    public Guid? EndedById { get; private set; }

    public string? EndReason { get; private set; }

    public bool IsActive => EndedAt is null;

    /// <summary>Ends the session once; a clock behind the start still ends it at its start. (The reason's length is the request validator's rule.)</summary>
    public void End(SessionEndKind kind, Guid? endedById, string? reason, DateTimeOffset now)
    {
        if (!IsActive)
        {
            throw new DomainException("session_ended", Texts.Get("This usage has already ended."));
        }

        reason = reason?.Trim();
        EndedAt = now < StartedAt ? StartedAt : now;
        EndKind = kind;
        EndedById = endedById;
        EndReason = string.IsNullOrEmpty(reason) ? null : reason;
    }
}
