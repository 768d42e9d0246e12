using System.Net;
using Cierto.Domain.Bookings;
using Cierto.Domain.Users;
using Cierto.Tests.Circuits;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Observability;

namespace Cierto.Tests.Web;

/// <summary>
/// Debian's nginx running the shipped template in front of the app (Prometheus on): what reaches
/// the app through it and what it writes to its access log.
/// </summary>
public sealed class NginxTemplateTests(NginxTemplateTests.ProxiedHost host) : IClassFixture<NginxTemplateTests.ProxiedHost>
{
    public sealed class ProxiedHost : CircuitHostBase
    {
        public int MetricsPort { get; } = LoopbackPorts.Free();

        public NginxProxy Proxy { get; private set; } = default!;

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            [ObservabilityExtensions.PrometheusEnabledKey] = "true",
            ["Cierto:Observability:Prometheus:Url"] = $"http://127.0.0.1:{MetricsPort}",
            ["Cierto:ForwardedHeaders"] = "true",
            ["Cierto:Cookies:SecureOnly"] = "true",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Proxy = await NginxProxy.StartAsync(BaseUrl.Port);
        }

        public override async Task DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/Metrics")]
    [InlineData("/METRICS")]
    [InlineData("/metrics/")]
    [InlineData("/Metrics/")]
    [InlineData("//metrics")]
    [InlineData("/%6Detrics")]
    [InlineData("/%6detrics/")]
    [InlineData("/./metrics")]
    [InlineData("/metrics?format=text")]
    public async Task No_spelling_of_metrics_reaches_them_through_nginx(string path)
    {
        using var client = host.Proxy.Client();
        // Sent as written: System.Uri would otherwise decode %6D and drop the dot segment.
        var raw = new Uri(host.Proxy.BaseUrl.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, raw);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_log_masks_calendar_secrets_and_order_keys_in_the_address_and_the_referrer()
    {
        var (companyId, _, _) = await host.CreateCompanyAsync();
        var (_, worker) = await host.CreateUserAsync(Roles.Worker, companyId);
        var secret = await host.RunAsync<CalendarFeeds, string>(s => s.CreateAsync(worker));
        var orderKey = $"orderkey{Guid.NewGuid():N}";
        var refererKey = $"refererkey{Guid.NewGuid():N}";
        using var client = host.Proxy.Client();

        var feed = await client.GetAsync(new Uri($"calendar/{secret}.ics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var upper = await client.GetAsync(new Uri($"Calendar/{secret}.ics?x=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        using var order = new HttpRequestMessage(HttpMethod.Get, new Uri($"orders/CI-2026-000001?placed=1&key={orderKey}", UriKind.Relative));
        order.Headers.Referrer = new Uri(host.Proxy.BaseUrl, $"orders/CI-2026-000001?key={refererKey}");
        await client.SendAsync(order);

        var lines = await LogLinesAsync(3);
        var log = string.Join('\n', lines);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        Assert.DoesNotContain(orderKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain(refererKey, log, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("\"GET /calendar/***.ics HTTP/1.1\" 200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"GET /Calendar/***.ics?x=1 HTTP/1.1\" 200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"GET /orders/CI-2026-000001?placed=1&key=*** HTTP/1.1\"", StringComparison.Ordinal)
            && l.Contains($"\"{host.Proxy.BaseUrl}orders/CI-2026-000001?key=***\"", StringComparison.Ordinal));
    }

    /// <summary>nginx writes a line once the answer has gone out: waits for this many more than the log had.</summary>
    private async Task<IReadOnlyList<string>> LogLinesAsync(int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var lines = host.Proxy.AccessLog();
            if (lines.Count(l => l.Contains("/calendar/", StringComparison.OrdinalIgnoreCase) || l.Contains("/orders/", StringComparison.Ordinal)) >= atLeast || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(50);
        }
    }
}
