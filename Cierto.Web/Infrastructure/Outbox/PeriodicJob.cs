using Cierto.Domain.Data;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// A background job run every <see cref="Interval"/> on every instance (what it writes must be
/// safe to write from several: see the jobs). A failing round never ends the loop — an unhandled
/// exception would stop the whole host —: a database outage is counted and logged as such,
/// anything else logged, and the next round tries again.
/// </summary>
internal abstract partial class PeriodicJob(TimeProvider time, DatabaseOutages outages, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    /// <summary>What the job does, for the logs ("booking notices").</summary>
    protected abstract string What { get; }

    protected abstract TimeSpan Interval { get; }

    protected virtual bool Enabled => true;

    /// <summary>One round; returns how many things it wrote.</summary>
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!outages.ReportIfTransient(ex, "background", What))
                {
                    LogFailed(logger, ex, What);
                }
            }

            await Task.Delay(Interval, Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not run the {Job}; trying again later.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}
