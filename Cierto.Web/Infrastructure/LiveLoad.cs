using System.Diagnostics.Metrics;
using Cierto.Domain.Live;

namespace Cierto.Web.Infrastructure;

/// <summary>What one instance is carrying right now, for the Root "Load" page.</summary>
public sealed record LoadFigures(
    long CircuitsActive,
    long CircuitsConnected,
    int DashboardsOpen,
    int CompaniesWatched,
    long DashboardLoads,
    long LiveEvents,
    long Deliveries,
    long WorkingSetBytes,
    long ManagedHeapBytes);

/// <summary>
/// Reads the built-in circuit meter (<c>Microsoft.AspNetCore.Components.Server.Circuits</c>) and
/// Cierto's live meter inside the process. The same instruments reach dotnet-counters and any
/// OpenTelemetry collector; this view needs neither. Created at start-up so no measurement is missed.
/// </summary>
public sealed class LiveLoad : IDisposable
{
    public const string CircuitMeter = "Microsoft.AspNetCore.Components.Server.Circuits";

    private readonly MeterListener listener = new();
    private readonly DashboardFeed feed;
    private long circuitsActive;
    private long circuitsConnected;
    private long loads;
    private long events;
    private long deliveries;

    public LiveLoad(DashboardFeed feed)
    {
        this.feed = feed;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (Counter(instrument) is not null)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        listener.Start();
    }

    public LoadFigures Read() => new(
        Interlocked.Read(ref circuitsActive),
        Interlocked.Read(ref circuitsConnected),
        feed.Viewers,
        feed.Companies,
        Interlocked.Read(ref loads),
        Interlocked.Read(ref events),
        Interlocked.Read(ref deliveries),
        Environment.WorkingSet,
        GC.GetGCMemoryInfo().HeapSizeBytes);

    private void Add(Instrument instrument, long value)
    {
        switch (Counter(instrument))
        {
            case "active": Interlocked.Add(ref circuitsActive, value); break;
            case "connected": Interlocked.Add(ref circuitsConnected, value); break;
            case "loads": Interlocked.Add(ref loads, value); break;
            case "events": Interlocked.Add(ref events, value); break;
            case "deliveries": Interlocked.Add(ref deliveries, value); break;
        }
    }

    private static string? Counter(Instrument instrument) => (instrument.Meter.Name, instrument.Name) switch
    {
        (CircuitMeter, "aspnetcore.components.circuit.active") => "active",
        (CircuitMeter, "aspnetcore.components.circuit.connected") => "connected",
        (LiveMetrics.MeterName, "cierto.dashboard.loads") => "loads",
        (LiveMetrics.MeterName, "cierto.live.events") => "events",
        (LiveMetrics.MeterName, "cierto.dashboard.deliveries") => "deliveries",
        _ => null,
    };

    public void Dispose() => listener.Dispose();
}
