using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Outbox;

public sealed record OutboxRow(Guid Id, string Kind, OutboxStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, string? LastError);

/// <summary>Root's view of the outbox: what is waiting, what went out, what failed and why; failed messages can be retried.</summary>
public sealed class OutboxService(CiertoDbContext db, TimeProvider time)
{
    public async Task<Paged<OutboxRow>> ListAsync(Actor actor, OutboxStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireRoot();
        var query = db.OutboxMessages.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(m => m.Status == wanted);
        }

        return await query.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new OutboxRow(m.Id, m.Kind, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.SentAt, m.LastError))
            .ToPagedAsync(page, cancellationToken);
    }

    public async Task RetryAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireRoot();
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException("Message");
        if (OutboxWriter.LostItsSecret(message))
        {
            throw new DomainException("secret_expired", Texts.Get("This message's secret was dropped a day after it failed, so it cannot be sent again. Send a new invite code from Orders or Invite codes, or ask the person to join again."));
        }

        var now = time.GetUtcNow();
        message.Retry(now);
        db.Record(now, actor, null, "outbox.retried", "OutboxMessage", id, message.Kind);
        await db.SaveChangesAsync(cancellationToken);
    }
}
