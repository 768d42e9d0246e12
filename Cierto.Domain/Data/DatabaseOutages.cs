using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cierto.Domain.Data;

/// <summary>
/// This instance's view of whether its database can be reached. Every part that meets an outage
/// (an API request, a page action, a live picture, a background service) reports it here; the
/// first report marks the database unavailable, lets live pages say "data paused", and starts a
/// probe that marks it available again as soon as a statement succeeds, so those pages reload by
/// themselves. Counted in <c>cierto.database.unavailable</c> (by source: api, page, live,
/// background) with the gauge <c>cierto.database.reachable</c>; logged once when it goes, once when
/// it is back, and at most one warning per source every <see cref="LogEvery"/> in between.
/// </summary>
public sealed partial class DatabaseOutages : IDisposable
{
    public const string MeterName = "Cierto.Database";

    /// <summary>At most one warning per source in this time.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    /// <summary>How often the database is tried while it is away.</summary>
    public static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    private readonly IServiceScopeFactory scopes;
    private readonly DatabaseSettings settings;
    private readonly ILogger<DatabaseOutages> logger;
    private readonly TimeProvider time;
    private readonly Meter meter;
    private readonly Counter<long> unavailableAnswers;
    private readonly Dictionary<string, (DateTimeOffset At, long Suppressed)> lastLogged = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposing = new();
    private int down;
    private DateTimeOffset downSince;

    public DatabaseOutages(IServiceScopeFactory scopes, DatabaseSettings settings, ILogger<DatabaseOutages> logger, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        this.scopes = scopes;
        this.settings = settings;
        this.logger = logger;
        this.time = time;
        meter = meters.Create(MeterName);
        unavailableAnswers = meter.CreateCounter<long>("cierto.database.unavailable", "{answer}", "Operations answered \"the database cannot be reached, try again\" (API 503s, page alerts, paused live pages, background retries).");
        meter.CreateObservableGauge("cierto.database.reachable", () => Unavailable ? 0 : 1, null, "1 while this instance reaches its database, 0 from the first failure until a probe succeeds again.");
    }

    /// <summary>True from the first reported failure until a probe reaches the database again.</summary>
    public bool Unavailable => Volatile.Read(ref down) == 1;

    /// <summary>Raised with true when the database goes away and with false when it is back (on a thread-pool thread).</summary>
    public event Action<bool>? Changed;

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
        unavailableAnswers.Add(1, new KeyValuePair<string, object?>("source", source));
        var now = time.GetUtcNow();
        long suppressed;
        lock (gate)
        {
            if (lastLogged.TryGetValue(source, out var last) && now - last.At < LogEvery)
            {
                lastLogged[source] = (last.At, last.Suppressed + 1);
                suppressed = -1;
            }
            else
            {
                suppressed = last.Suppressed;
                lastLogged[source] = (now, 0);
            }
        }

        if (suppressed >= 0)
        {
            LogUnavailable(logger, source, detail ?? string.Empty, Innermost(exception).GetType().Name, Innermost(exception).Message, suppressed);
        }

        if (Interlocked.CompareExchange(ref down, 1, 0) == 0)
        {
            downSince = now;
            LogWentAway(logger);

            // Pooled connections to a server that restarted are all dead: open fresh ones from now on.
            if (settings.Provider == DatabaseProvider.Postgres)
            {
                using var connection = new NpgsqlConnection(settings.ConnectionString);
                NpgsqlConnection.ClearPool(connection);
            }

            Notify(true);
            _ = ProbeUntilBackAsync();
        }
    }

    private async Task ProbeUntilBackAsync()
    {
        while (!disposing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProbeEvery, time, disposing.Token);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CiertoDbContext>().Database.ExecuteSqlRawAsync("SELECT 1", disposing.Token);
            }
            catch (OperationCanceledException) when (disposing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue; // still away (or not yet accepting this user): try again
            }

            Volatile.Write(ref down, 0);
            var seconds = (time.GetUtcNow() - downSince).TotalSeconds;
            LogCameBack(logger, seconds);
            Notify(false);
            return;
        }
    }

    private void Notify(bool unavailable)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<bool>>())
        {
            // A page that went away meanwhile must not keep the others from hearing it.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Handler(state.Unavailable), (Handler: handler, Unavailable: unavailable), preferLocal: false);
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The database went away: requests that need it are answered 503 / \"try again\", live pages show \"data paused\". Probing every second.")]
    private static partial void LogWentAway(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is back after {Seconds:F1} s; live pages reload.")]
    private static partial void LogCameBack(ILogger logger, double seconds);

    public void Dispose()
    {
        disposing.Cancel();
        disposing.Dispose();
        meter.Dispose();
    }
}
