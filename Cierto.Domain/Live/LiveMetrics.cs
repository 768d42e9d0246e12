using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Cierto.Domain.Accounts;
using Cierto.Domain.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cierto.Domain.Live;

public static class LiveMetrics
{
    /// <summary>The meter of Cierto's live core (dashboards open, loads, events); dotnet-counters and /metrics show it.</summary>
    public const string MeterName = "Cierto.Live";
}
