using OpenTelemetry.Metrics;

namespace Cierto.Web.Infrastructure.Observability;

/// <summary>
/// Prometheus's scrape endpoint on a listener of its own (<see cref="ObservabilityExtensions.PrometheusUrlKey"/>),
/// never on the app's port: whatever proxy sits in front of the app, and however a path is
/// spelled (<c>/Metrics</c>, <c>/metrics/</c>, <c>/%6Detrics</c>), nothing reaches the metrics
/// through it. The listener serves <c>/metrics</c> alone; anything else there is 404.
/// </summary>
internal sealed partial class MetricsListener(MeterProvider meters, string url, ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        server = builder.Build();
        server.UseOpenTelemetryPrometheusScrapingEndpoint(meters, context => context.Request.Path == ObservabilityExtensions.MetricsPath, ObservabilityExtensions.MetricsPath, null, null);
        server.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await server.StartAsync(cancellationToken);
        LogListening(logger, url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics at {Url}/metrics (this listener only).")]
    private static partial void LogListening(ILogger logger, string url);
}
