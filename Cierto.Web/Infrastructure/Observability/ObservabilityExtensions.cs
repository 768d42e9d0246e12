using Cierto.Domain.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cierto.Web.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry: traces and metrics (and logs) over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, a Prometheus scrape endpoint at <c>/metrics</c> when <see cref="PrometheusEnabledKey"/> is
/// true. Logs carry the trace and span ids of the request they were written in.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>Serve <c>/metrics</c> (Prometheus text format). Off by default: restrict it to your monitoring network.</summary>
    public const string PrometheusEnabledKey = "Cierto:Observability:Prometheus:Enabled";

    /// <summary>Record traces without an OTLP endpoint (an exporter added in code, e.g. by a test).</summary>
    public const string TracingEnabledKey = "Cierto:Observability:Tracing:Enabled";

    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(mode);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = builder.Configuration.GetValue(PrometheusEnabledKey, false);
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

        // Spans cost something on every request, so they are recorded only when someone reads them.
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces
                    .AddSource(CiertoTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                        && !context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase))
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

    /// <summary>The Prometheus scrape endpoint, when <see cref="PrometheusEnabledKey"/> is on.</summary>
    public static WebApplication MapCiertoMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetValue(PrometheusEnabledKey, false))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        return app;
    }
}
