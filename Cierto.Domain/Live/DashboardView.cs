using System.Collections.Immutable;
using Cierto.Domain.Accounts;
using Cierto.Domain.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cierto.Domain.Live;

/// <summary>One open dashboard's handle on its company's shared picture.</summary>
public sealed class DashboardView : IDisposable
{
    private readonly DashboardFeed feed;
    private readonly Action changed;
    private DashboardSnapshot? offered;
    private int signalled;
    private int disposed;
    private int open;

    internal DashboardView(DashboardFeed feed, Guid companyId, Action changed)
    {
        this.feed = feed;
        CompanyId = companyId;
        this.changed = changed;
    }

    public Guid CompanyId { get; }

    /// <summary>The newest picture taken by the viewer; null while a view opened during a database outage waits for its first.</summary>
    public DashboardSnapshot? Snapshot { get; private set; }

    /// <summary>The database cannot be reached: <see cref="Snapshot"/> may be out of date, and the feed keeps trying.</summary>
    public bool Paused => feed.IsPaused(CompanyId);

    /// <summary>Takes the newest picture; the viewer calls it when it renders after being signalled.</summary>
    public DashboardSnapshot? Take()
    {
        Interlocked.Exchange(ref signalled, 0);
        Snapshot = Volatile.Read(ref offered) ?? Snapshot;
        return Snapshot;
    }

    /// <summary>Asks for a refresh if the picture is older than <see cref="DashboardFeed.MaxAge"/> (a page's minute tick).</summary>
    public void Touch() => feed.Touch(CompanyId);

    /// <summary>The picture the view opens with, unless a newer one was offered meanwhile.</summary>
    internal void OfferFirst(DashboardSnapshot snapshot) => Interlocked.CompareExchange(ref offered, snapshot, null);

    /// <summary>The view is handed to its viewer: from now on news is signalled.</summary>
    internal void Open()
    {
        Volatile.Write(ref open, 1);
        if (!ReferenceEquals(Volatile.Read(ref offered), Snapshot))
        {
            Signal(); // a picture arrived between Take and now
        }
    }

    internal void Offer(DashboardSnapshot snapshot)
    {
        Volatile.Write(ref offered, snapshot);
        Signal();
    }

    /// <summary>Tells the viewer there is news (a picture, or a pause), once until it takes it.</summary>
    internal void Signal()
    {
        if (Volatile.Read(ref open) == 1 && Interlocked.Exchange(ref signalled, 1) == 0 && Volatile.Read(ref disposed) == 0)
        {
            // Each viewer renders on its own work item: a circuit with no pending work would run the
            // render inline, and a thousand dashboards would then render one after another on the
            // thread that loaded the picture instead of on every core.
            ThreadPool.UnsafeQueueUserWorkItem(static notify => notify(), changed, preferLocal: false);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            feed.Leave(this);
        }
    }
}
