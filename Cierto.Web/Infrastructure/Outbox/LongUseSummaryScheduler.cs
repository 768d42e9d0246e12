using System.Text.Json;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Off by default (<c>Cierto:Mail:LongUseSummary:Enabled</c>). Once the configured UTC hour has
/// passed, writes one summary message per company that has items held longer than the threshold;
/// the message id is derived from company and day, so instances and restarts cannot double it.
/// </summary>
internal sealed class LongUseSummaryScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, DatabaseOutages outages, ILogger<LongUseSummaryScheduler> logger)
    : PeriodicJob(time, outages, logger)
{
    public const string Section = "Cierto:Mail:LongUseSummary";

    protected override string What => "long-use summaries";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    protected override bool Enabled => configuration.GetValue($"{Section}:Enabled", false);

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => ScheduleAsync(cancellationToken);

    /// <summary>Writes today's summaries if it is time; returns how many were new.</summary>
    public async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (now.Hour < configuration.GetValue($"{Section}:HourUtc", 6))
        {
            return 0;
        }

        var threshold = configuration.GetValue($"{Section}:ThresholdHours", 24);
        var cutoff = now.AddHours(-threshold);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        var companies = await db.UsageSessions.AsNoTracking()
            .Where(s => s.EndedAt == null && s.StartedAt < cutoff)
            .Select(s => s.CompanyId)
            .Distinct()
            .ToListAsync(cancellationToken);
        var written = 0;
        foreach (var company in companies)
        {
            var summary = new LongUseSummary(company, day, threshold);
            if (await db.OutboxMessages.AnyAsync(m => m.Id == summary.MessageId, cancellationToken))
            {
                continue;
            }

            written += await db.EnqueueOnceAsync(summary, summary.MessageId, now, cancellationToken) ? 1 : 0;
        }

        return written;
    }
}
