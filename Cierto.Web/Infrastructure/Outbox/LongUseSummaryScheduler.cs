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
internal sealed partial class LongUseSummaryScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, DatabaseOutages outages, ILogger<LongUseSummaryScheduler> logger) : BackgroundService
{
    public const string Section = "Cierto:Mail:LongUseSummary";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue($"{Section}:Enabled", false))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScheduleAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Never ends the loop (an unhandled exception would stop the whole host): a database
                // outage is counted and logged as such, and the next round tries again.
                if (!outages.ReportIfTransient(ex, "background", "long-use summaries"))
                {
                    LogFailed(logger, ex);
                }
            }

            await Task.Delay(TimeSpan.FromMinutes(10), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Writes today's summaries if it is time; returns how many were new.</summary>
    public async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
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

            db.OutboxMessages.Add(new OutboxMessage(LongUseSummary.Kind, JsonSerializer.Serialize(summary, JsonSerializerOptions.Web), now, summary.MessageId));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                written++;
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                db.ChangeTracker.Clear(); // another instance wrote it first
            }
        }

        return written;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not schedule the long-use summaries; trying again later.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
