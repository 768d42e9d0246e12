using System.Text.Json;
using Cierto.Domain.Data;

namespace Cierto.Domain.Outbox;

public static class OutboxWriter
{
    /// <summary>
    /// Adds a message to the context: it is committed with the change that caused it, or not at
    /// all, and delivered afterwards by the outbox dispatcher.
    /// </summary>
    public static void Enqueue<T>(this CiertoDbContext db, T message, DateTimeOffset now, Guid? id = null)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(db);
        db.OutboxMessages.Add(Create(message, now, id));
    }

    /// <summary>A message not yet added to any context (a handler's follow-up, committed with its outcome).</summary>
    public static OutboxMessage Create<T>(T message, DateTimeOffset now, Guid? id = null)
        where T : IOutboxPayload =>
        new(T.Kind, JsonSerializer.Serialize(message, JsonSerializerOptions.Web), now, id);

    /// <summary>
    /// After delivery, drops what must not stay in the table: an invite code is shown once and
    /// stored only as a hash (so is an order's secret), and a joining worker's password hash belongs
    /// in their account only, so none stays in the outbox once it has been handled.
    /// </summary>
    public static void RedactHandled(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == InviteCodeIssued.Kind)
        {
            message.Redact(JsonSerializer.Serialize(Read<InviteCodeIssued>(message) with { Code = Redacted }, JsonSerializerOptions.Web));
        }
        else if (message.Kind == OrderPlaced.Kind)
        {
            message.Redact(JsonSerializer.Serialize(Read<OrderPlaced>(message) with { Secret = Redacted }, JsonSerializerOptions.Web));
        }
        else if (message.Kind == JoinRequested.Kind)
        {
            message.Redact(JsonSerializer.Serialize(Read<JoinRequested>(message) with { PasswordHash = Redacted }, JsonSerializerOptions.Web));
        }
    }

    public const string Redacted = "(redacted)";

    public static T Read<T>(OutboxMessage message)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Deserialize<T>(message.Payload, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");
    }
}
