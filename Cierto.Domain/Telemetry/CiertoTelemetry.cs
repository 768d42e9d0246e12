using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cierto.Domain.Data;
using Cierto.Domain.Live;

namespace Cierto.Domain.Telemetry;

/// <summary>
/// The names under which Cierto reports itself: one activity source for its own spans (a service
/// call between the HTTP request and its SQL) and the meters an operator scrapes or exports.
/// </summary>
public static class CiertoTelemetry
{
    /// <summary>Spans of the domain services ("usage.activate", "usage.end").</summary>
    public const string SourceName = "Cierto";

    /// <summary>Activations, wrong codes, throttled attempts, and the live events this instance publishes and receives.</summary>
    public const string UsageMeterName = "Cierto.Usage";

    /// <summary>The outbox: messages pending and failed, age of the oldest pending one.</summary>
    public const string OutboxMeterName = "Cierto.Outbox";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Every meter of Cierto's own (the Blazor circuit meter and ASP.NET Core's come on top).</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [UsageMeterName, OutboxMeterName, LiveMetrics.MeterName, DatabaseOutages.MeterName];
}

/// <summary>Counters of the activation path and of the live events, one set per app instance.</summary>
public sealed class UsageMetrics
{
    private readonly Counter<long> activations;
    private readonly Counter<long> wrongCodes;
    private readonly Counter<long> throttled;
    private readonly Counter<long> published;
    private readonly Counter<long> received;

    public UsageMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(CiertoTelemetry.UsageMeterName);
        activations = meter.CreateCounter<long>("cierto.activations", "{activation}", "Items activated (a repeated request for an item already held is not counted again).");
        wrongCodes = meter.CreateCounter<long>("cierto.activation.wrong_codes", "{attempt}", "Activation attempts with a code that matches no item of the worker's company.");
        throttled = meter.CreateCounter<long>("cierto.activation.throttled", "{attempt}", "Activation attempts refused because the worker typed too many wrong codes.");
        published = meter.CreateCounter<long>("cierto.live.events.published", "{event}", "Live events (activations, releases, item changes) this instance published.");
        received = meter.CreateCounter<long>("cierto.live.events.received", "{event}", "Live events handed to this instance's subscribers (open dashboards and pages), its own included.");
    }

    public void Activated() => activations.Add(1);

    public void WrongCode() => wrongCodes.Add(1);

    public void Throttled() => throttled.Add(1);

    public void Published() => published.Add(1);

    public void Received() => received.Add(1);
}
