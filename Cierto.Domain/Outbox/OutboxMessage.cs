using Cierto.Domain.Localization;

namespace Cierto.Domain.Outbox;

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// A message (mail, integration event) written in the same transaction as the change that caused
/// it and delivered later by a background worker.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public OutboxMessage(string kind, string payload, DateTimeOffset now, Guid? id = null)
    {
        Id = id ?? Guid.CreateVersion7(now);
        Kind = kind;
        Payload = payload;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    /// <summary>JSON.</summary>
    public string Payload { get; private set; } = string.Empty;

    public OutboxStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Replaces the payload once it is no longer needed in full (e.g. a one-time code after it was mailed).</summary>
    public void Redact(string payload) => Payload = payload;

    public void MarkSent(DateTimeOffset now)
    {
        Attempts++;
        Status = OutboxStatus.Sent;
        SentAt = now;
        LastError = null;
    }

    public void MarkAttemptFailed(string error, DateTimeOffset nextAttemptAt, bool giveUp)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        NextAttemptAt = nextAttemptAt;
        Status = giveUp ? OutboxStatus.Failed : OutboxStatus.Pending;
    }

    /// <summary>Claims the message until <paramref name="until"/> (see the dispatcher's SQLite path).</summary>
    public void Lease(DateTimeOffset until) => NextAttemptAt = until;

    public void Retry(DateTimeOffset now)
    {
        if (Status != OutboxStatus.Failed)
        {
            throw new Common.DomainException("not_failed", Texts.Get("Only a failed message can be retried."));
        }

        Status = OutboxStatus.Pending;
        NextAttemptAt = now;
        Attempts = 0;
    }
}
