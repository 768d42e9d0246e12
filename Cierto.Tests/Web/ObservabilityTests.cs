using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cierto.Circuits;
using Cierto.Domain.Equipment;
using Cierto.Domain.Telemetry;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Circuits;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Observability;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Cierto.Tests.Web;

/// <summary>
/// Metrics are process-wide (every app instance's meters reach every listener), so these tests run
/// alone, after the rest: a count that moves by one moved because of this test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilitySuite : ICollectionFixture<ObservedHost>
{
    public const string Name = "Observability";
}

/// <summary>The app on a real port with the Prometheus endpoint on and its spans kept in memory.</summary>
public sealed class ObservedHost : CircuitHostBase
{
    private readonly List<Activity> spans = [];

    /// <summary>The spans finished so far (the exporter adds to the list as they end).</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (spans)
            {
                return [.. spans];
            }
        }
    }

    /// <summary>Where Prometheus scrapes: a port of its own, never the app's.</summary>
    public Uri MetricsUrl { get; } = new($"http://127.0.0.1:{LoopbackPorts.Free()}/");

    public HttpClient Scraper { get; } = new();

    public override async Task InitializeAsync()
    {
        Scraper.BaseAddress = MetricsUrl;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        Scraper.Dispose();
        await base.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        [ObservabilityExtensions.PrometheusEnabledKey] = "true",
        ["Cierto:Observability:Prometheus:Url"] = MetricsUrl.ToString().TrimEnd('/'),
        [ObservabilityExtensions.TracingEnabledKey] = "true",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddOpenTelemetry().WithTracing(traces => traces.AddProcessor(new SpanCollector(spans)));

    /// <summary>Keeps every finished span, under a lock (requests end on many threads).</summary>
    private sealed class SpanCollector(List<Activity> spans) : OpenTelemetry.BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (spans)
            {
                spans.Add(data);
            }
        }
    }
}

[Collection(ObservabilitySuite.Name)]
public sealed class ObservabilityTests(ObservedHost host)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Metrics_count_an_activation_and_a_wrong_code_and_the_circuit_and_dashboard_gauges_move_with_an_open_page()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (adminUser, _) = await host.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var item = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Metered drill", null, null, null)));
        var before = await MetricsAsync();

        var worker = await WorkerClientAsync(workerUser.Email!);
        Assert.Equal(HttpStatusCode.Created, (await worker.PostAsJsonAsync("api/v1/activations", new { activationCode = item.ActivationCode })).StatusCode);
        Assert.NotEqual(HttpStatusCode.Created, (await worker.PostAsJsonAsync("api/v1/activations", new { activationCode = "NOSUCH9" })).StatusCode);

        await WaitForMetricAsync("cierto_activations_total", Value(before, "cierto_activations_total") + 1);
        Assert.Contains("# TYPE cierto_activations_total counter", await MetricsAsync(), StringComparison.Ordinal);
        await WaitForMetricAsync("cierto_activation_wrong_codes_total", Value(before, "cierto_activation_wrong_codes_total") + 1);

        var beforePage = await MetricsAsync();
        await using (var dashboard = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "dashboard"), await host.SignInCookieAsync(adminUser.Email!), new CircuitClientOptions { ReadyWhenRendered = "count-in-use" }))
        {
            Assert.Null(dashboard.Error);
            await WaitForMetricAsync("aspnetcore_components_circuit_active", Value(beforePage, "aspnetcore_components_circuit_active") + 1);
            await WaitForMetricAsync("cierto_dashboard_viewers", Value(beforePage, "cierto_dashboard_viewers") + 1);
        }

        await WaitForMetricAsync("cierto_dashboard_viewers", Value(beforePage, "cierto_dashboard_viewers"));
        var outbox = await MetricsAsync();
        Assert.Contains("cierto_outbox_pending", outbox, StringComparison.Ordinal);
        Assert.Contains("cierto_outbox_oldest_pending_age", outbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_activation_is_one_span_tree_from_the_request_through_the_service_to_its_sql()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (workerUser, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var item = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Traced drill", null, null, null)));
        var worker = await WorkerClientAsync(workerUser.Email!);

        var activated = await worker.PostAsJsonAsync("api/v1/activations", new { activationCode = item.ActivationCode });
        Assert.Equal(HttpStatusCode.Created, activated.StatusCode);
        var sessionId = (await ApiCalls.JsonAsync(activated)).GetProperty("sessionId").GetGuid().ToString();

        // The service span carries the session it started; the request span ends after the answer is written.
        Activity? service = null;
        Activity? request = null;
        using var deadline = new CancellationTokenSource(Wait);
        while (request is null)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var spans = host.Spans;
            service = spans.SingleOrDefault(s => s.Source.Name == CiertoTelemetry.SourceName && s.OperationName == "usage.activate" && (string?)s.GetTagItem("cierto.session.id") == sessionId);
            request = service is null ? null : spans.SingleOrDefault(s => s.SpanId == service.ParentSpanId);
            await Task.Delay(50, deadline.Token);
        }

        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal("Microsoft.AspNetCore", request.Source.Name);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal(service!.TraceId, request.TraceId);
        Assert.Equal("Activated", service.GetTagItem("cierto.activation.status"));

        var all = host.Spans;
        bool Under(Activity span, Activity ancestor)
        {
            for (var parent = span.ParentSpanId; parent != default;)
            {
                if (parent == ancestor.SpanId)
                {
                    return true;
                }

                var next = all.FirstOrDefault(s => s.SpanId == parent);
                if (next is null)
                {
                    return false;
                }

                parent = next.ParentSpanId;
            }

            return false;
        }

        var sql = all.Where(s => s.Source.Name == "Npgsql" && s.TraceId == service.TraceId && Under(s, service)).ToList();
        Assert.Contains(sql, s => ((s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) as string ?? string.Empty).Contains("INSERT INTO \"UsageSessions\"", StringComparison.Ordinal));
        Assert.Contains(sql, s => ((s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) as string ?? string.Empty).Contains("FOR SHARE", StringComparison.Ordinal));
    }

    private async Task<HttpClient> WorkerClientAsync(string email)
    {
        var client = new HttpClient(host.Handler, disposeHandler: false) { BaseAddress = host.BaseUrl };
        var login = await client.PostAsJsonAsync("api/v1/auth/login", new { email, password = Infrastructure.AppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await ApiCalls.JsonAsync(login)).GetProperty("accessToken").GetString());
        return client;
    }

    [Fact]
    public async Task Metrics_answer_on_their_own_port_alone_and_under_no_spelling_on_the_apps()
    {
        foreach (var path in new[] { "/metrics", "/Metrics", "/METRICS", "/metrics/", "/Metrics/", "/%6Detrics", "/metrics?format=text" })
        {
            var raw = new Uri(host.BaseUrl.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            var response = await host.Http.GetAsync(raw);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on the app's port answered {(int)response.StatusCode}");
            Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var scraper = host.Scraper;
        var scrape = await scraper.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The metrics port serves nothing else of the app.
        foreach (var path in new[] { "", "health/live", "api/v1/billing/plans", "Account/Login" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task Spans_carry_neither_a_calendar_secret_nor_an_order_key()
    {
        var (companyId, _, _) = await host.CreateCompanyAsync();
        var (_, worker) = await host.CreateUserAsync(Roles.Worker, companyId);
        var secret = await host.RunAsync<Cierto.Domain.Bookings.CalendarFeeds, string>(s => s.CreateAsync(worker));
        var orderKey = $"orderkey{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(new Uri($"calendar/{secret}.ics", UriKind.Relative))).StatusCode);
        await host.Http.GetAsync(new Uri($"orders/CI-2026-000001?placed=1&key={orderKey}", UriKind.Relative));

        Activity? feed = null;
        Activity? order = null;
        using var deadline = new CancellationTokenSource(Wait);
        while (feed is null || order is null)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var requests = host.Spans.Where(s => s.Kind == ActivityKind.Server).ToList();
            feed = requests.LastOrDefault(s => s.GetTagItem("http.route") is "/calendar/{secret}.ics");
            order = requests.LastOrDefault(s => (s.GetTagItem("url.path") as string)?.StartsWith("/orders/CI-2026-000001", StringComparison.Ordinal) == true);
            await Task.Delay(50, deadline.Token);
        }

        Assert.Equal("/calendar/***.ics", feed.GetTagItem("url.path"));
        Assert.Equal("placed=1&key=***", order.GetTagItem("url.query"));
        // The test's own HttpClient calls are recorded too (HttpClient's spans are process-wide): not the app's.
        foreach (var span in host.Spans.Where(s => s.Source.Name != "System.Net.Http"))
        {
            var text = string.Join(' ', span.TagObjects.Select(t => $"{t.Key}={t.Value}")) + span.DisplayName + string.Join(' ', span.Events.Select(e => e.Name));
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(orderKey, text, StringComparison.Ordinal);
        }
    }

    private Task<string> MetricsAsync() => host.Scraper.GetStringAsync(new Uri("metrics", UriKind.Relative));

    /// <summary>Scrapes until the metric reads <paramref name="expected"/> (the exporter caches a scrape for a moment).</summary>
    private async Task WaitForMetricAsync(string name, double expected)
    {
        var read = double.NaN;
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            read = Value(await MetricsAsync(), name);
            if (read == expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{name} read {read}, expected {expected}.");
    }

    /// <summary>The sum of every series of a metric in Prometheus' text format (0 when it has none yet).</summary>
    private static double Value(string metrics, string name) => metrics
        .Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.Contains('{', StringComparison.Ordinal) ? line.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
