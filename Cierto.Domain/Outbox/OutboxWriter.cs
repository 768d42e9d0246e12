using System.Text.Json;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// Adds and saves a message whose <paramref name="id"/> is derived from what it is about (a
    /// company's day, a booking and a kind of notice); false when a message with that id is already
    /// there — written by another instance, or by an earlier round — and nothing was added.
    /// </summary>
    public static async Task<bool> EnqueueOnceAsync<T>(this CiertoDbContext db, T message, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(db);
        db.OutboxMessages.Add(Create(message, now, id));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
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
    /// <returns>True when a secret was there and is gone now.</returns>
    public static bool RedactHandled(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var before = message.Payload;
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

        return message.Payload != before;
    }

    /// <summary>True when the message's secret was dropped: it can no longer be sent as it was meant.</summary>
    public static bool LostItsSecret(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Kind == InviteCodeIssued.Kind ? Read<InviteCodeIssued>(message).Code == Redacted
            : message.Kind == OrderPlaced.Kind ? Read<OrderPlaced>(message).Secret == Redacted
            : message.Kind == JoinRequested.Kind && Read<JoinRequested>(message).PasswordHash == Redacted;
    }

    /// <summary>The kinds of message that carry a secret <see cref="RedactHandled"/> drops.</summary>
    public static readonly string[] SecretKinds = [InviteCodeIssued.Kind, OrderPlaced.Kind, JoinRequested.Kind];

    public const string Redacted = "(redacted)";

    public static T Read<T>(OutboxMessage message)
        where T : IOutboxPayload
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Deserialize<T>(message.Payload, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");
    }
}
