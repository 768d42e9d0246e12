using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Cierto.Domain.Accounts;
using Cierto.Domain.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cierto.Domain.Live;

/// <summary>
/// One dashboard picture per company per instance, shared by every dashboard of that company
/// open on this instance. The feed holds the only event subscription of the company; an event
/// marks the picture stale and one load (never more than one at a time) refreshes it for every
/// viewer, so the database work per event does not grow with the number of people watching.
/// Viewers keep a reference to the shared picture, never a copy.
/// </summary>
public sealed partial class DashboardFeed : IDisposable
{
    /// <summary>A picture older than this is refreshed when someone opens or looks at it (the hour chart moves on).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Loads of one company start at least this far apart: the first event after a quiet spell is
    /// shown at once, a burst (an import, a shift change) costs one load per window, not per event.
    /// </summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    private readonly IEventBus events;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger<DashboardFeed> logger;
    private readonly DatabaseOutages outages;
    private readonly ConcurrentDictionary<Guid, CompanyFeed> feeds = new();
    private readonly Lock gate = new();
    private readonly Meter meter;
    private readonly Counter<long> loads;
    private readonly Counter<long> received;
    private readonly Counter<long> delivered;

    public DashboardFeed(IEventBus events, IServiceScopeFactory scopes, TimeProvider time, ILogger<DashboardFeed> logger, IMeterFactory meters, DatabaseOutages outages)
    {
        ArgumentNullException.ThrowIfNull(meters);
        this.outages = outages;
        this.events = events;
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        meter = meters.Create(LiveMetrics.MeterName);
        // Explicit type arguments: a mutated lambda must still compile (Stryker drops every mutant of a file that does not).
        meter.CreateObservableUpDownCounter<int>("cierto.dashboard.viewers", () => Viewers, "{dashboard}", "Dashboards open on this instance.");
        meter.CreateObservableUpDownCounter<int>("cierto.dashboard.companies", () => feeds.Count, "{company}", "Companies with at least one dashboard open on this instance.");
        loads = meter.CreateCounter<long>("cierto.dashboard.loads", "{load}", "Dashboard pictures read from the database (one per burst of events per company, however many watch).");
        received = meter.CreateCounter<long>("cierto.live.events", "{event}", "Live events received for companies with an open dashboard.");
        delivered = meter.CreateCounter<long>("cierto.dashboard.deliveries", "{delivery}", "Pictures handed to open dashboards.");
        outages.Changed += OnDatabaseChanged;
    }

    /// <summary>
    /// The database went away (somewhere in this instance): every open dashboard says its picture
    /// is paused. It is back: every picture is read again, which also lifts the pause.
    /// </summary>
    private void OnDatabaseChanged(bool unavailable)
    {
        foreach (var feed in feeds.Values)
        {
            if (unavailable)
            {
                feed.SignalViewers();
            }
            else
            {
                feed.Invalidate();
            }
        }
    }

    /// <summary>Dashboards open on this instance.</summary>
    public int Viewers => feeds.Values.Sum(f => f.ViewerCount);

    /// <summary>Companies with at least one dashboard open on this instance.</summary>
    public int Companies => feeds.Count;

    /// <summary>Pictures read from the database since start (tests and the benchmark read it).</summary>
    public long Loads => Interlocked.Read(ref loadCount);

    private long loadCount;

    /// <summary>
    /// Opens a company's dashboard for <paramref name="actor"/> (who must be allowed to oversee it):
    /// returns the current picture and calls <paramref name="changed"/> whenever a newer one is ready
    /// or the picture pauses or resumes (<see cref="DashboardView.Paused"/>).
    /// <paramref name="changed"/> is called at most once until the view's <see cref="DashboardView.Take"/>
    /// is called, so a slow viewer skips pictures instead of queueing them. When the database cannot
    /// be reached the view opens paused, without a picture, and gets one as soon as it is back.
    /// </summary>
    public async Task<DashboardView> WatchAsync(Actor actor, Guid? companyId, Action changed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(changed);
        var company = actor.OverseenCompany(companyId);
        var view = new DashboardView(this, company, changed);
        CompanyFeed feed;
        lock (gate)
        {
            feed = feeds.GetOrAdd(company, c => new CompanyFeed(this, c));
            feed.Add(view);
        }

        try
        {
            view.OfferFirst(await feed.CurrentAsync(cancellationToken));
        }
        catch (Exception ex) when (DatabaseFailures.IsTransient(ex))
        {
            // Paused: the feed retries on its own and hands the picture over when it has one.
        }
        catch
        {
            view.Dispose();
            throw;
        }

        view.Take();
        view.Open();
        return view;
    }

    /// <summary>True while the company's picture cannot be refreshed because the database cannot be reached.</summary>
    internal bool IsPaused(Guid company) => outages.Unavailable || (feeds.TryGetValue(company, out var feed) && feed.Paused);

    /// <summary>The shared picture if this instance has a fresh one, else one read for this request only (prerendering a dashboard).</summary>
    public async Task<DashboardSnapshot> PeekAsync(Actor actor, Guid? companyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.OverseenCompany(companyId);
        if (feeds.TryGetValue(company, out var feed) && feed.Fresh is { } current)
        {
            return current;
        }

        try
        {
            return await LoadAsync(company, cancellationToken);
        }
        catch (Exception ex) when (ex is not DatabaseUnavailableException && DatabaseFailures.IsTransient(ex))
        {
            outages.Report(ex, "live", company.ToString());
            throw new DatabaseUnavailableException(ex);
        }
    }

    internal void Leave(DashboardView view)
    {
        lock (gate)
        {
            if (feeds.TryGetValue(view.CompanyId, out var feed) && feed.Remove(view))
            {
                feeds.TryRemove(view.CompanyId, out _);
                feed.Dispose();
            }
        }
    }

    internal void Touch(Guid company)
    {
        if (feeds.TryGetValue(company, out var feed) && feed.Fresh is null)
        {
            feed.Invalidate();
        }
    }

    private async Task<DashboardSnapshot> LoadAsync(Guid company, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref loadCount);
        loads.Add(1);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DashboardSnapshots>().LoadCompanyAsync(company, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the dashboard of company {CompanyId} failed; retrying in {Seconds} s.")]
    private static partial void LoadFailed(ILogger logger, Exception exception, Guid companyId, double seconds);

    public void Dispose()
    {
        outages.Changed -= OnDatabaseChanged;
        foreach (var feed in feeds.Values)
        {
            feed.Dispose();
        }

        feeds.Clear();
        meter.Dispose();
    }

    /// <summary>One company's shared picture on this instance, and its one event subscription.</summary>
    private sealed class CompanyFeed : IDisposable
    {
        private readonly DashboardFeed owner;
        private readonly Guid company;
        private readonly Lock sync = new();
        private readonly IDisposable subscription;
        private ImmutableArray<DashboardView> viewers = [];
        private DashboardSnapshot? snapshot;
        private Task<DashboardSnapshot>? loading;
        private bool stale = true;
        private bool paused;
        private long lastStarted;
        private bool disposed;

        public CompanyFeed(DashboardFeed owner, Guid company)
        {
            this.owner = owner;
            this.company = company;
            subscription = owner.events.Subscribe(company, _ =>
            {
                owner.received.Add(1);
                Invalidate();
                return Task.CompletedTask;
            });
        }

        public int ViewerCount => viewers.Length;

        /// <summary>The last load failed because the database could not be reached; a retry is on its way.</summary>
        public bool Paused => Volatile.Read(ref paused);

        /// <summary>The picture if no event has made it stale and it is young enough.</summary>
        public DashboardSnapshot? Fresh
        {
            get
            {
                lock (sync)
                {
                    return FreshLocked();
                }
            }
        }

        /// <summary>Call under <see cref="sync"/>: the picture unless an event made it stale or it aged.</summary>
        private DashboardSnapshot? FreshLocked() =>
            !stale && snapshot is { } s && owner.time.GetUtcNow() - s.LoadedAt < MaxAge ? s : null;

        public void Add(DashboardView view) => ImmutableInterlocked.Update(ref viewers, v => v.Add(view));

        /// <summary>Returns true when the last viewer left.</summary>
        public bool Remove(DashboardView view) => ImmutableInterlocked.Update(ref viewers, v => v.Remove(view)) && viewers.IsEmpty;

        public Task<DashboardSnapshot> CurrentAsync(CancellationToken cancellationToken)
        {
            lock (sync)
            {
                if (FreshLocked() is { } s)
                {
                    return Task.FromResult(s);
                }

                stale = true;
                loading ??= Observed(RefreshAsync());
                return loading.WaitAsync(cancellationToken);
            }
        }

        /// <summary>An event arrived (or the picture aged): refresh once, for everyone.</summary>
        public void Invalidate()
        {
            lock (sync)
            {
                stale = true;
                if (!disposed)
                {
                    loading ??= Observed(RefreshAsync());
                }
            }
        }

        /// <summary>Loads until no event arrived during the load, handing each picture to every viewer.</summary>
        private async Task<DashboardSnapshot> RefreshAsync()
        {
            await Task.Yield();
            while (true)
            {
                var wait = MinInterval - owner.time.GetElapsedTime(lastStarted);
                if (lastStarted != 0 && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, owner.time);
                }

                lock (sync)
                {
                    stale = false;
                }

                lastStarted = owner.time.GetTimestamp();

                DashboardSnapshot loaded;
                try
                {
                    loaded = await owner.LoadAsync(company, CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    lock (sync)
                    {
                        stale = true;
                        loading = null;
                    }

                    if (ex is not Common.DomainException)
                    {
                        if (DatabaseFailures.IsTransient(ex))
                        {
                            if (!Volatile.Read(ref paused))
                            {
                                // Every open dashboard says so at once: what it shows may be out of date.
                                Volatile.Write(ref paused, true);
                                SignalViewers();
                            }

                            owner.outages.Report(ex, "live", company.ToString());
                        }
                        else
                        {
                            LoadFailed(owner.logger, ex, company, RetryAfterFailure.TotalSeconds);
                        }

                        _ = RetryAsync();
                    }

                    throw;
                }

                bool done;
                Volatile.Write(ref paused, false);
                lock (sync)
                {
                    snapshot = loaded;
                    done = !stale || disposed;
                    if (done)
                    {
                        loading = null;
                    }
                }

                foreach (var viewer in viewers)
                {
                    viewer.Offer(loaded);
                }

                owner.delivered.Add(viewers.Length);
                if (done)
                {
                    return loaded;
                }
            }
        }

        public void SignalViewers()
        {
            foreach (var viewer in viewers)
            {
                viewer.Signal();
            }
        }

        /// <summary>A failed background refresh is logged and retried; nobody else needs its exception.</summary>
        private static Task<DashboardSnapshot> Observed(Task<DashboardSnapshot> refresh)
        {
            _ = refresh.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return refresh;
        }

        private async Task RetryAsync()
        {
            await Task.Delay(RetryAfterFailure, owner.time);
            if (!disposed && !viewers.IsEmpty)
            {
                Invalidate();
            }
        }

        public void Dispose()
        {
            lock (sync)
            {
                disposed = true;
            }

            subscription.Dispose();
        }
    }
}
