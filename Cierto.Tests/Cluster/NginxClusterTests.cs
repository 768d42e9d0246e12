using System.Net;
using Cierto.Domain.Users;
using Cierto.Tests.Browser;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Cluster;

/// <summary>Journeys through nginx only, in Chromium, on the topology of docker-compose.yml (see <see cref="ClusterHost"/>).</summary>
[Collection(ClusterSuite.Name)]
public sealed class NginxClusterTests(ClusterHost host) : BrowserTest(host)
{
    private const string AffinityCookie = "cierto_affinity";

    /// <summary>Marks the page (a reload clears the mark) and records every state of the reconnect dialog.</summary>
    private const string RecordReconnectStatesScript = """
        () => {
            window.ciertoBeforeFailover = true;
            document.getElementById('components-reconnect-modal').addEventListener('components-reconnect-state-changed', e => {
                const states = JSON.parse(sessionStorage.getItem('cierto-reconnect-states') ?? '[]');
                states.push(e.detail.state);
                sessionStorage.setItem('cierto-reconnect-states', JSON.stringify(states));
            });
        }
        """;

    private ClusterHost Cluster => (ClusterHost)Host;

    [Fact]
    public async Task A_dashboard_sees_a_phone_on_the_other_instance_live_and_carries_on_when_its_own_instance_dies() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var drill = await ItemAsync(admin, "Cluster drill", "CL-1");
        var saw = await ItemAsync(admin, "Cluster saw", "CL-2");
        var (workerEmail, _, workerName) = await UserAsync(Roles.Worker, companyId);

        // The desk: TLS, HSTS, secure cookies, and the circuit over a WebSocket through nginx.
        var desk = await OpenAsync();
        var sockets = new List<string>();
        var polls = new List<string>();
        desk.WebSocket += (_, socket) => sockets.Add(socket.Url);
        desk.Request += (_, request) =>
        {
            if (request.Url.Contains("/_blazor?id=", StringComparison.Ordinal) && request.ResourceType is "xhr" or "fetch")
            {
                polls.Add(request.Url); // long polling: what a proxy that drops the upgrade forces
            }
        };
        var login = await desk.GotoAsync("Account/Login");
        Assert.Equal("max-age=31536000; includeSubDomains", (await login!.AllHeadersAsync())["strict-transport-security"]);
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        var cookies = await desk.Context.CookiesAsync();
        Assert.True(cookies.Single(c => c.Name == ".AspNetCore.Identity.Application").Secure);
        var deskAffinity = cookies.Single(c => c.Name == AffinityCookie);
        Assert.True(deskAffinity is { Secure: true, HttpOnly: true });

        await GotoAsync(desk, "dashboard");
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("0");
        Assert.Contains(sockets, url => url.StartsWith($"wss://localhost:{Host.BaseUrl.Port}/_blazor?id=", StringComparison.Ordinal));
        Assert.Empty(polls);
        var deskInstance = Cluster.InstanceOf(deskAffinity.Value);
        Assert.All(Cluster.UpstreamsOf(deskAffinity.Value), upstream => Assert.Equal($"127.0.0.1:{deskInstance}", upstream));

        // The phone: another browser, held by its own cookie to the other instance.
        var phone = await OpenOnOtherInstanceAsync(deskInstance);
        await SignInAsync(phone, workerEmail, AppFixture.Password);
        await GotoAsync(phone, "activate");
        await Field(phone, "Activation code").FillAsync(drill.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Cluster drill" })).ToBeVisibleAsync();

        var inUse = desk.GetByTestId("in-use-table");
        await Expect(inUse).ToContainTextAsync("Cluster drill");
        await Expect(inUse).ToContainTextAsync(workerName);

        // The desk's instance dies: the page says so, then goes on with the survivor (a new circuit
        // after the old one is refused there) and shows what is true now.
        // The reconnect dialog's states are kept in the tab's session storage: the survivor answers
        // within milliseconds, too fast to catch the dialog on screen before the page reloads.
        await desk.EvaluateAsync(RecordReconnectStatesScript);
        var socketsBefore = sockets.Count;
        await Cluster.KillInstanceAsync(deskInstance);
        await desk.WaitForFunctionAsync("() => window.ciertoBeforeFailover === undefined", null, new() { Timeout = 60_000 });
        await WaitInteractiveAsync(desk);
        var states = await desk.EvaluateAsync<string[]>("() => JSON.parse(sessionStorage.getItem('cierto-reconnect-states') ?? '[]')");
        Assert.Equal(["show", "rejected"], states.Where(s => s is "show" or "rejected").Distinct());
        await Expect(desk.GetByRole(AriaRole.Dialog, new() { Name = "Connection lost" })).ToBeHiddenAsync();
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("1");
        await Expect(inUse).ToContainTextAsync("Cluster drill");
        Assert.True(sockets.Count > socketsBefore, "The survivor's circuit opens a WebSocket of its own.");
        Assert.NotEqual(deskInstance, Cluster.InstanceOf(deskAffinity.Value));

        // Nothing is lost: the phone's next activation reaches the desk live on the survivor.
        await GotoAsync(phone, "activate");
        await Field(phone, "Activation code").FillAsync(saw.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Cluster saw" })).ToBeVisibleAsync();
        await Expect(inUse).ToContainTextAsync("Cluster saw");
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("2");
        await using var db = Host.Database.CreateContext();
        Assert.Equal(2, await db.UsageSessions.CountAsync(s => s.CompanyId == companyId && s.EndedAt == null));
        Assert.Empty(polls);
    });

    [Fact]
    public async Task A_request_over_nginxs_body_limit_gets_413_at_once()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var body = new ByteArrayContent(new byte[11 * 1024 * 1024]);
        body.Headers.ContentType = new("application/json");

        using var response = await http.PostAsync(new Uri("api/v1/auth/login", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("413 Request Entity Too Large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var plain = new UriBuilder(Host.BaseUrl) { Scheme = Uri.UriSchemeHttp, Port = Cluster.HttpPort }.Uri;

        using var response = await http.GetAsync(new Uri(plain, "dashboard"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri(Host.BaseUrl, "dashboard"), response.Headers.Location);
    }

    /// <summary>
    /// A fresh browser whose affinity cookie nginx maps to the instance the desk is not on: each new
    /// browser gets a random key, so a few tries find one (20 all landing on one instance: 1 in 500,000).
    /// </summary>
    private async Task<IPage> OpenOnOtherInstanceAsync(int deskInstance)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var page = await OpenAsync(Screen.Phone);
            await page.GotoAsync("Account/Login");
            var affinity = (await page.Context.CookiesAsync()).Single(c => c.Name == AffinityCookie).Value;
            if (Cluster.InstanceOf(affinity) != deskInstance)
            {
                return page;
            }
        }

        throw new InvalidOperationException("Twenty browsers in a row were sent to the same instance: the affinity does not spread them.");
    }
}
