using System.Diagnostics.Metrics;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Cierto.Domain.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>What the outbox still holds: messages pending (due or waiting for a retry), failed for good, and how long the oldest pending one has waited.</summary>
public readonly record struct OutboxBacklogState(int Pending, int Failed, TimeSpan OldestPending);

/// <summary>
/// Measures the outbox's backlog for readiness (<see cref="OutboxHealthCheck"/>) and for the
/// metrics (<c>cierto.outbox.*</c>), which report the last measurement: the dispatcher takes one
/// every <see cref="Interval"/>, so a scrape never queries the database itself.
/// </summary>
public sealed class OutboxBacklog
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private OutboxBacklogState last;
    private DateTimeOffset measuredAt = DateTimeOffset.MinValue;

    public OutboxBacklog(IServiceScopeFactory scopes, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        this.scopes = scopes;
        this.time = time;
        var meter = meters.Create(CiertoTelemetry.OutboxMeterName);
        meter.CreateObservableGauge("cierto.outbox.pending", () => last.Pending, "{message}", "Outbox messages not yet delivered (due, or waiting for a retry).");
        meter.CreateObservableGauge("cierto.outbox.failed", () => last.Failed, "{message}", "Outbox messages that failed for good (Support retries them on /root/outbox).");
        meter.CreateObservableGauge("cierto.outbox.oldest_pending_age", () => last.OldestPending.TotalSeconds, "s", "How long the oldest undelivered outbox message has waited.");
    }

    public async Task<OutboxBacklogState> MeasureAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        var now = time.GetUtcNow();
        var pending = db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending);
        var count = await pending.CountAsync(cancellationToken);
        var oldest = count == 0 ? now : await pending.OrderBy(m => m.CreatedAt).Select(m => m.CreatedAt).FirstAsync(cancellationToken);
        var failed = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Failed, cancellationToken);
        last = new OutboxBacklogState(count, failed, oldest < now ? now - oldest : TimeSpan.Zero);
        measuredAt = now;
        return last;
    }

    /// <summary>A new measurement when the last one is older than <see cref="Interval"/>.</summary>
    public async Task MeasureIfDueAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - measuredAt >= Interval)
        {
            await MeasureAsync(cancellationToken);
        }
    }
}
