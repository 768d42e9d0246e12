using Cierto.Domain.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cierto.Web.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry: traces and metrics (and logs) over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, a Prometheus scrape endpoint at <c>/metrics</c> on a listener of its own when
/// <see cref="PrometheusEnabledKey"/> is true. Logs carry the trace and span ids of the request
/// they were written in; spans never carry a calendar feed's secret or an order's key.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>Serve <c>/metrics</c> (Prometheus text format). Off by default: restrict it to your monitoring network.</summary>
    public const string PrometheusEnabledKey = "Cierto:Observability:Prometheus:Enabled";

    /// <summary>The metrics listener's own address (never the app's port), e.g. <c>http://+:9464</c>.</summary>
    public const string PrometheusUrlKey = "Cierto:Observability:Prometheus:Url";

    public const string DefaultPrometheusUrl = "http://localhost:9464";

    /// <summary>Record traces without an OTLP endpoint (an exporter added in code, e.g. by a test).</summary>
    public const string TracingEnabledKey = "Cierto:Observability:Tracing:Enabled";

    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(mode);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = builder.Configuration.GetValue(PrometheusEnabledKey, false);
        var metricsUrl = PrometheusUrl(builder.Configuration);
        var tracing = otlp || builder.Configuration.GetValue(TracingEnabledKey, false);

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cierto", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter([.. CiertoTelemetry.MeterNames, LiveLoad.CircuitMeter])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (prometheus)
        {
            builder.Services.AddHostedService(sp => new MetricsListener(sp.GetRequiredService<MeterProvider>(), metricsUrl, sp.GetRequiredService<ILogger<MetricsListener>>()));
        }

        // Spans cost something on every request, so they are recorded only when someone reads them.
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces
                    .AddSource(CiertoTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
                        o.EnrichWithHttpRequest = SpanSecrets.Mask;
                    })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddEntityFrameworkCoreInstrumentation();
                if (mode.UsesRedis)
                {
                    traces.AddRedisInstrumentation();
                }
            });
        }

        if (otlp)
        {
            telemetry.WithLogging().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The metrics listener's address: <see cref="PrometheusUrlKey"/>, an absolute http URL with its own port.</summary>
    private static string PrometheusUrl(ConfigurationManager configuration)
    {
        var value = configuration[PrometheusUrlKey] is { Length: > 0 } set ? set : DefaultPrometheusUrl;

        // Kestrel's wildcard hosts (+, *) are not host names System.Uri accepts.
        var parsed = value.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsed, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort || uri.PathAndQuery != "/")
        {
            throw new StartupConfigurationException(PrometheusUrlKey, $"is '{value}': it must be an http:// address with a port of its own and no path, e.g. http://+:9464.");
        }

        return value.TrimEnd('/');
    }
}
