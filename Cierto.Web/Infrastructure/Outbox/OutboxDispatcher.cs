using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Delivers outbox messages in the background, off every request path. On PostgreSQL a batch is
/// claimed with FOR UPDATE SKIP LOCKED, so several instances never handle one message twice;
/// embedded mode has one instance and one dispatcher. Failures are retried with exponential
/// backoff, then the message is marked failed with its error.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int BatchSize = 20;

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(configuration.GetValue("Cierto:Outbox:PollMilliseconds", 1000));

    private int MaxAttempts => configuration.GetValue("Cierto:Outbox:MaxAttempts", 8);

    /// <summary>The first retry waits this long; each further one twice as long (capped at an hour).</summary>
    private double BaseDelaySeconds => configuration.GetValue("Cierto:Outbox:RetryDelaySeconds", 5.0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(logger, ex);
                handled = 0;
            }

            if (handled < BatchSize)
            {
                await Task.Delay(PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims and delivers one batch of due messages; returns how many it handled.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        return db.Provider == DatabaseProvider.Postgres
            ? await DispatchLockedAsync(db, cancellationToken)
            : await DispatchLeasedAsync(db, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: the batch stays row-locked (FOR UPDATE SKIP LOCKED) until its outcome is
    /// committed, so another instance skips these rows and takes the next ones.
    /// </summary>
    private async Task<int> DispatchLockedAsync(CiertoDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await db.OutboxMessages
            .FromSql($"""SELECT * FROM "OutboxMessages" WHERE "Status" = {(int)OutboxStatus.Pending} AND "NextAttemptAt" <= {now} ORDER BY "CreatedAt" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
            .ToListAsync(cancellationToken);
        await DeliverAsync(batch, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    /// <summary>
    /// SQLite has no row locks: the batch is claimed under the database's write lock by moving
    /// its next attempt a lease into the future, then delivered outside that lock. Another process
    /// on the same file sees the lease and leaves the rows alone; a crash only delays them.
    /// </summary>
    private async Task<int> DispatchLeasedAsync(CiertoDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<OutboxMessage> batch;
        await using (var claim = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            batch = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.CreatedAt)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            batch.ForEach(m => m.Lease(now + Lease));
            await db.SaveChangesAsync(cancellationToken);
            await claim.CommitAsync(cancellationToken);
        }

        await DeliverAsync(batch, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task DeliverAsync(List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            try
            {
                // Each handler gets its own scope: what it writes commits on its own.
                await using var handlerScope = scopes.CreateAsyncScope();
                await handlerScope.ServiceProvider.GetRequiredService<OutboxHandlers>().HandleAsync(message, cancellationToken);
                message.MarkSent(time.GetUtcNow());
                OutboxWriter.RedactSent(message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var giveUp = message.Attempts + 1 >= MaxAttempts;
                var delay = TimeSpan.FromSeconds(Math.Min(3600, BaseDelaySeconds * Math.Pow(2, message.Attempts)));
                message.MarkAttemptFailed(ex.Message, time.GetUtcNow() + delay, giveUp);
                LogDeliveryFailed(logger, message.Kind, message.Id, message.Attempts, giveUp, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox batch failed; retrying at the next poll.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Kind} {Id} failed (attempt {Attempts}, giving up: {GaveUp}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string kind, Guid id, int attempts, bool gaveUp, string error);
}
