using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Delivers outbox messages in the background, off every request path. A batch is claimed with a
/// short lease (on PostgreSQL with FOR UPDATE SKIP LOCKED, on SQLite under the database's write
/// lock), so several instances never handle one message at once; then each message's outcome is
/// committed right after it was delivered. A crash can therefore repeat at most the one message
/// that was in flight, never the batch. Failures are retried with exponential backoff, then the
/// message is marked failed with its error.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IConfiguration configuration,
    DatabaseOutages outages,
    OutboxBacklog backlog,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int BatchSize = 20;

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(configuration.GetValue("Cierto:Outbox:PollMilliseconds", 1000));

    private int MaxAttempts => configuration.GetValue("Cierto:Outbox:MaxAttempts", 8);

    /// <summary>The first retry waits this long; each further one twice as long (capped at an hour).</summary>
    private double BaseDelaySeconds => configuration.GetValue("Cierto:Outbox:RetryDelaySeconds", 5.0);

    /// <summary>How long a claimed message is left alone by other instances: after a crash it is delivered again then.</summary>
    private TimeSpan Lease => TimeSpan.FromSeconds(configuration.GetValue("Cierto:Outbox:LeaseSeconds", 300.0));

    /// <summary>How long a message that failed for good keeps its secrets after it was written (see <see cref="ExpireFailedSecretsAsync"/>).</summary>
    private double FailedSecretsHours => configuration.GetValue("Cierto:Outbox:FailedSecretsHours", 24.0);

    private DateTimeOffset nextSecretsExpiry;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await DispatchBatchAsync(stoppingToken);
                await backlog.MeasureIfDueAsync(stoppingToken);
                await ExpireFailedSecretsIfDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Never ends the loop (an unhandled exception would stop the whole host): during a
                // database outage each poll fails, is counted, and the first one after it delivers.
                if (!outages.ReportIfTransient(ex, "background", "outbox"))
                {
                    LogBatchFailed(logger, ex);
                }

                handled = 0;
            }

            if (handled < BatchSize)
            {
                try
                {
                    await Task.Delay(PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and delivers one batch of due messages; returns how many it handled.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        var batch = await ClaimAsync(db, cancellationToken);
        foreach (var message in batch)
        {
            await DeliverAsync(db, message, cancellationToken);
        }

        return batch.Count;
    }

    /// <summary>
    /// A message that failed for good keeps its secrets (a joining worker's password hash, an invite
    /// code, an order's key) only while Root may still retry it once the cause is fixed:
    /// <see cref="FailedSecretsHours"/> after it was written they are dropped, as after a delivery.
    /// </summary>
    public async Task<int> ExpireFailedSecretsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        var cutoff = time.GetUtcNow() - TimeSpan.FromHours(FailedSecretsHours);
        var candidates = await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Failed && m.CreatedAt <= cutoff && OutboxWriter.SecretKinds.Contains(m.Kind))
            .ToListAsync(cancellationToken);
        var expired = candidates.Where(OutboxWriter.RedactHandled).ToList();
        await db.SaveChangesAsync(cancellationToken);
        return expired.Count;
    }

    private async Task ExpireFailedSecretsIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < nextSecretsExpiry)
        {
            return;
        }

        nextSecretsExpiry = now + TimeSpan.FromMinutes(10);
        await ExpireFailedSecretsAsync(cancellationToken);
    }

    /// <summary>Moves the next attempt of a batch of due messages a lease into the future, in one short transaction.</summary>
    private async Task<List<OutboxMessage>> ClaimAsync(CiertoDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var claim = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = db.Provider == DatabaseProvider.Postgres
            ? db.OutboxMessages.FromSql($"""SELECT * FROM "OutboxMessages" WHERE "Status" = {(int)OutboxStatus.Pending} AND "NextAttemptAt" <= {now} ORDER BY "CreatedAt" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
            : db.OutboxMessages.Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now).OrderBy(m => m.CreatedAt).Take(BatchSize);
        var batch = await due.ToListAsync(cancellationToken);
        batch.ForEach(m => m.Lease(now + Lease));
        await db.SaveChangesAsync(cancellationToken);
        await claim.CommitAsync(cancellationToken);
        return batch;
    }

    /// <summary>
    /// Hands one message to its handler, then commits its outcome (and any messages it fans out
    /// into, e.g. one per recipient) at once. Nothing of another message waits on this commit.
    /// </summary>
    private async Task DeliverAsync(CiertoDbContext db, OutboxMessage message, CancellationToken cancellationToken)
    {
        var followUps = new List<OutboxMessage>();
        try
        {
            // Each handler gets its own scope: what it writes commits on its own.
            await using var handlerScope = scopes.CreateAsyncScope();
            await handlerScope.ServiceProvider.GetRequiredService<OutboxHandlers>().HandleAsync(message, followUps, cancellationToken);
            message.MarkSent(time.GetUtcNow());
            OutboxWriter.RedactHandled(message);
            db.OutboxMessages.AddRange(followUps);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var giveUp = message.Attempts + 1 >= MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(3600, BaseDelaySeconds * Math.Pow(2, message.Attempts)));
            message.MarkAttemptFailed(ex.Message, time.GetUtcNow() + delay, giveUp);
            LogDeliveryFailed(logger, message.Kind, message.Id, message.Attempts, giveUp, ex.Message);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox batch failed; retrying at the next poll.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Kind} {Id} failed (attempt {Attempts}, giving up: {GaveUp}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string kind, Guid id, int attempts, bool gaveUp, string error);
}
