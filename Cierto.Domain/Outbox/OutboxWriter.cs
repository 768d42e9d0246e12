using System.Text.Json;
using Cierto.Domain.Data;

namespace Cierto.Domain.Outbox;

public static class OutboxWriter
{
    /// <summary>
    /// Adds a message to the context: it is committed with the change that caused it, or not at
    /// all, and delivered afterwards by the outbox dispatcher.
    /// </summary>
    public static void Enqueue<T>(this CiertoDbContext db, T message, DateTimeOffset now)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(db);
        db.OutboxMessages.Add(new OutboxMessage(T.Kind, JsonSerializer.Serialize(message, JsonSerializerOptions.Web), now));
    }

    /// <summary>
    /// After delivery, drops what must not stay in the table: an invite code is shown once and
    /// stored only as a hash, so its plain copy leaves the outbox as soon as it has been mailed.
    /// </summary>
    public static void RedactSent(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == InviteCodeIssued.Kind)
        {
            message.Redact(JsonSerializer.Serialize(Read<InviteCodeIssued>(message) with { Code = "(sent)" }, JsonSerializerOptions.Web));
        }
    }

    public static T Read<T>(OutboxMessage message)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Deserialize<T>(message.Payload, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");
    }
}

/// <summary>Something the outbox carries; <see cref="Kind"/> picks its handler.</summary>
public interface IOutboxPayload
{
    static abstract string Kind { get; }
}
