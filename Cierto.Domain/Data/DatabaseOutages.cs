using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Cierto.Domain.Data;

/// <summary>
/// Where every "the database cannot be reached" answer is counted and logged: the metric
/// <c>cierto.database.unavailable</c> (by source: api, page, live, background) rises during an
/// outage, and the log gets one warning per source every <see cref="LogEvery"/> instead of one per
/// request, so a restart of PostgreSQL under load does not bury everything else.
/// </summary>
public sealed partial class DatabaseOutages : IDisposable
{
    public const string MeterName = "Cierto.Database";

    /// <summary>At most one warning per source in this time.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly ILogger<DatabaseOutages> logger;
    private readonly TimeProvider time;
    private readonly Meter meter;
    private readonly Counter<long> unavailable;
    private readonly Dictionary<string, (DateTimeOffset At, long Suppressed)> lastLogged = [];
    private readonly Lock gate = new();

    public DatabaseOutages(ILogger<DatabaseOutages> logger, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        this.logger = logger;
        this.time = time;
        meter = meters.Create(MeterName);
        unavailable = meter.CreateCounter<long>("cierto.database.unavailable", "{answer}", "Operations answered \"the database cannot be reached, try again\" (API 503s, page alerts, paused live pages, background retries).");
    }

    /// <summary>When the last failure was reported (null before the first): the health of the moment, for pages and tests.</summary>
    public DateTimeOffset? LastFailureAt { get; private set; }

    /// <summary>For exception filters: reports <paramref name="exception"/> and answers true when it is an outage, else leaves it alone.</summary>
    public bool ReportIfTransient(Exception exception, string source, string? detail = null)
    {
        if (!DatabaseFailures.IsTransient(exception))
        {
            return false;
        }

        Report(exception, source, detail);
        return true;
    }

    public void Report(Exception exception, string source, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        unavailable.Add(1, new KeyValuePair<string, object?>("source", source));
        var now = time.GetUtcNow();
        long suppressed;
        lock (gate)
        {
            LastFailureAt = now;
            if (lastLogged.TryGetValue(source, out var last) && now - last.At < LogEvery)
            {
                lastLogged[source] = (last.At, last.Suppressed + 1);
                return;
            }

            suppressed = last.Suppressed;
            lastLogged[source] = (now, 0);
        }

        LogUnavailable(logger, source, detail ?? string.Empty, Innermost(exception).GetType().Name, Innermost(exception).Message, suppressed);
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached ({Source} {Detail}): {Error}: {Reason}. Answered \"try again\"; {Suppressed} more such answers since the last warning.")]
    private static partial void LogUnavailable(ILogger logger, string source, string detail, string error, string reason, long suppressed);

    public void Dispose() => meter.Dispose();
}
