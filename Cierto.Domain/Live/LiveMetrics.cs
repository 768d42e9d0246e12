namespace Cierto.Domain.Live;

public static class LiveMetrics
{
    /// <summary>The meter of Cierto's live core (dashboards open, loads, events); dotnet-counters and /metrics show it.</summary>
    public const string MeterName = "Cierto.Live";
}
