using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Cierto.Domain.Equipment;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Browser;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Faults;

/// <summary>
/// PostgreSQL restarted and the network to it cut while people work: the API answers 503
/// problem details (never 500 or HTML), open pages say what happened and keep their circuit,
/// everything recovers without a reload, and nothing acknowledged is lost or doubled.
/// </summary>
public sealed class DatabaseOutageTests(OutageHost host) : BrowserTest(host), IClassFixture<OutageHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private OutageHost Outage => (OutageHost)Host;

    [Fact]
    public async Task Api_clients_get_503_problem_details_through_a_restart_and_a_cut_and_every_acknowledged_activation_is_stored_exactly_once()
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var workers = new List<(HttpClient Client, string Code)>();
        for (var i = 0; i < 3; i++)
        {
            var (email, _, _) = await UserAsync(Roles.Worker, companyId);
            var item = await ItemAsync(admin, $"Breaker {i}");
            var client = await Host.SignedInClientAsync(email);
            workers.Add((client, item.ActivationCode));
        }

        var log = new ClientLog();
        using var stop = new CancellationTokenSource();
        var clients = workers.Select(w => Task.Run(() => ActivateAndReleaseAsync(w.Client, w.Code, log, stop.Token))).ToList();
        try
        {
            await log.WaitUntilAsync(() => log.Acknowledged >= 6, "activations before the outage");

            // A restart: every session is ended (57P01), new connections are refused for a while.
            await Outage.Cluster.StopAsync("fast");
            var stoppedAt = DateTime.UtcNow;
            await log.WaitUntilAsync(() => log.Unavailable >= 6 && DateTime.UtcNow - stoppedAt > TimeSpan.FromSeconds(2), "503 answers while the database is stopped");
            await Outage.Cluster.StartAsync();
            var beforeCut = log.Acknowledged;
            await log.WaitUntilAsync(() => log.Acknowledged >= beforeCut + 6, "activations after the restart");

            // A network blip: every connection between app and database reset, mid-request.
            for (var i = 0; i < 5; i++)
            {
                Outage.Proxy.DropAll();
                await Task.Delay(100);
            }

            var afterCut = log.Acknowledged;
            await log.WaitUntilAsync(() => log.Acknowledged >= afterCut + 6, "activations after the connections were cut");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            await Outage.Cluster.EnsureRunningAsync();
        }

        Assert.True(log.Unexpected.IsEmpty, "Unexpected answers: " + string.Join(" | ", log.Unexpected.Take(5)));
        Assert.True(log.Unavailable >= 6);
        Assert.True(Outage.Proxy.Dropped > 0, "The cut should have found open connections.");

        await using var db = Host.Db();
        var stored = await db.UsageSessions.Where(s => s.CompanyId == companyId).Select(s => new { s.Id, s.EquipmentId, s.EndedAt }).ToListAsync();
        Assert.Equal(log.Sessions.Keys.Order(), stored.Select(s => s.Id).Order()); // acknowledged = stored: none lost, none doubled
        Assert.All(stored.GroupBy(s => s.EquipmentId), item => Assert.True(item.Count(s => s.EndedAt is null) <= 1));
        Assert.All(log.Released.Keys, id => Assert.NotNull(stored.Single(s => s.Id == id).EndedAt));

        // The background services lived through it: the host runs, and mail queued now is delivered.
        Assert.False(Host.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.False(Host.App.Services.GetRequiredService<OutboxDispatcher>().ExecuteTask?.IsCompleted ?? true);
        await ExpectMailDeliveredAfterTheOutageAsync(companyId, admin);
    }

    [Fact]
    public async Task Open_pages_survive_a_restart_say_so_and_recover_without_a_reload() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Core drill", "CD-7");
        var (workerEmail, worker, workerName) = await UserAsync(Roles.Worker, companyId);

        var desk = await OpenAsync(Screen.Desk);
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await GotoAsync(desk, "dashboard");
        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, workerEmail, AppFixture.Password);
        var mine = await phone.Context.NewPageAsync();
        await GotoAsync(mine, "my-equipment");
        await GotoAsync(phone, "activate");

        await Outage.Cluster.StopAsync("fast");
        try
        {
            var code = Field(phone, "Activation code");
            var activate = phone.GetByRole(AriaRole.Button, new() { Name = "Activate" });
            await code.FillAsync(item.ActivationCode);
            await activate.ClickAsync();

            await Expect(phone.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Cierto cannot reach its database right now. Nothing was changed" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(activate).ToBeEnabledAsync();
            await Expect(code).ToHaveValueAsync(item.ActivationCode); // what was typed stays
            await Expect(desk.GetByTestId("data-paused")).ToBeVisibleAsync();
            await Expect(mine.GetByTestId("data-paused")).ToBeVisibleAsync();
            foreach (var page in new[] { phone, desk, mine })
            {
                await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            }

            await ExpectAccessibleAsync(phone);
        }
        finally
        {
            await Outage.Cluster.StartAsync();
        }

        // Back: the live pages lift the pause by themselves, and the same tap now works.
        await Expect(desk.GetByTestId("data-paused")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(mine.GetByTestId("data-paused")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByTestId("activation-success")).ToContainTextAsync("You are now using Core drill.");
        await Expect(desk.GetByTestId("in-use-table")).ToContainTextAsync(workerName);
        await Expect(mine.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Core drill" })).ToBeVisibleAsync();

        // A second tap (as after an answer lost to a blip) is the same activation, not "in use".
        await Field(phone, "Activation code").FillAsync(item.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByTestId("activation-success")).ToContainTextAsync("You are already using Core drill.");
        await using var db = Host.Db();
        Assert.Equal(1, await db.UsageSessions.CountAsync(s => s.EquipmentId == item.Id && s.WorkerId == worker.UserId));
    });

    [Fact]
    public async Task A_server_started_while_the_database_is_down_waits_for_it_and_never_exits_when_it_goes_away_again()
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(WebBuild.Directory(), "Cierto.Web.dll")])
        {
            WorkingDirectory = WebBuild.Directory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Cierto__DataProtection__AllowUnencryptedKeys"] = "true"; // a throwaway database
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(Host.Database.ConnectionString) { Timeout = 2 }.ToString();
        start.Environment["ConnectionStrings__Redis"] = await TestServers.RedisAsync();
        start.Environment["Cierto__Redis__Prefix"] = $"outage-process-{Guid.NewGuid():N}:";
        start.Environment["Cierto__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"cierto-outage-{Guid.NewGuid():N}");
        start.Environment["Cierto__Database__ConnectRetrySeconds"] = "60";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        await Outage.Cluster.StopAsync("fast");
        using var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            await WaitForAsync(() => Task.FromResult(output.Any(l => l.Contains("Waiting for the database", StringComparison.Ordinal))), "the server to say it waits for the database");
            Assert.False(process.HasExited, "It waits (Cierto:Database:ConnectRetrySeconds) instead of exiting.");

            await Outage.Cluster.StartAsync();
            await WaitForAsync(async () => await StatusAsync(http, "health/ready") == HttpStatusCode.OK, "the server to become ready once the database is up");

            // Already running: the database goes away and the instance stays, answering clearly.
            await Outage.Cluster.StopAsync("fast");
            await WaitForAsync(async () => await StatusAsync(http, "health/ready") == HttpStatusCode.ServiceUnavailable, "readiness to report the outage");
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "health/live"));
            var login = await http.PostAsJsonAsync("api/v1/auth/login", new { email = "nobody@cierto.test", password = "Wrong-password-1" });
            await ApiCalls.AssertProblemAsync(login, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(login.Headers.RetryAfter);
            await Task.Delay(2000);
            Assert.False(process.HasExited, "A running instance never exits because the database went away.");

            await Outage.Cluster.StartAsync();
            await WaitForAsync(async () => await StatusAsync(http, "health/ready") == HttpStatusCode.OK, "the server to be ready again");
            var again = await http.PostAsJsonAsync("api/v1/auth/login", new { email = "nobody@cierto.test", password = "Wrong-password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
            await WaitForAsync(() => Task.FromResult(output.Any(l => l.Contains("The database is back", StringComparison.Ordinal))), "the log to say the database is back");
            Assert.Contains(output, l => l.Contains("The database went away", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Outage.Cluster.EnsureRunningAsync();
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(200);
        }
    }

    private async Task ExpectMailDeliveredAfterTheOutageAsync(Guid companyId, Cierto.Domain.Accounts.Actor admin)
    {
        var (_, worker, _) = await UserAsync(Roles.Worker, companyId);
        var item = await ItemAsync(admin, "Generator");
        var activation = await Host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
        await Host.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, activation.SessionId!.Value, "Needed on another site"));
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var db = Host.Db();
            if (await db.OutboxMessages.AnyAsync(m => m.Kind == EquipmentForceReleased.Kind && m.Status == OutboxStatus.Sent && m.CreatedAt >= activation.StartedAt))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The outbox dispatcher should deliver mail queued after the outage.");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// One mobile app: activates its item, releases it, again and again. A 503 is retried (as the
    /// app does, after Retry-After); anything else but the documented success is recorded as unexpected.
    /// </summary>
    private static async Task ActivateAndReleaseAsync(HttpClient client, string code, ClientLog log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // Once sent, a request is seen through to its answer (a request cancelled by the test
            // might commit unacknowledged, which says nothing about the app).
            var activated = await UntilAnsweredAsync(() => client.PostAsJsonAsync("/api/v1/activations", new { activationCode = code }), [HttpStatusCode.Created, HttpStatusCode.OK], log);
            if (activated is null)
            {
                return;
            }

            var session = (await ApiCalls.JsonAsync(activated)).GetProperty("sessionId").GetGuid();
            log.Sessions.TryAdd(session, 0);
            var ended = await UntilAnsweredAsync(() => client.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null), [HttpStatusCode.OK], log);
            if (ended is null)
            {
                return;
            }

            log.Released.TryAdd(session, 0);
        }
    }

    private static async Task<HttpResponseMessage?> UntilAnsweredAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode[] success, ClientLog log)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response;
            try
            {
                response = await send();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                log.Unexpected.Add($"no answer: {ex.Message}"); // the app itself never went away
                return null;
            }

            if (success.Contains(response.StatusCode))
            {
                return response;
            }

            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable
                && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && body.Contains("\"code\":\"service_unavailable\"", StringComparison.Ordinal)
                && response.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero)
            {
                log.CountUnavailable();
                await Task.Delay(200, CancellationToken.None); // faster than Retry-After: the test wants many tries
                continue;
            }

            log.Unexpected.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: {body[..Math.Min(body.Length, 300)]}");
            return null;
        }

        log.Unexpected.Add($"still 503 after {Patience.TotalSeconds} s");
        return null;
    }

    private sealed class ClientLog
    {
        private int unavailable;

        public ConcurrentDictionary<Guid, byte> Sessions { get; } = new();

        public ConcurrentDictionary<Guid, byte> Released { get; } = new();

        public ConcurrentBag<string> Unexpected { get; } = [];

        public int Acknowledged => Sessions.Count;

        public int Unavailable => Volatile.Read(ref unavailable);

        public void CountUnavailable() => Interlocked.Increment(ref unavailable);

        public async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!condition())
            {
                Assert.True(Unexpected.IsEmpty, $"Waiting for {what}: unexpected answers: " + string.Join(" | ", Unexpected.Take(5)));
                Assert.True(DateTime.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}; {Acknowledged} activations, {Unavailable} 503s so far.");
                await Task.Delay(50);
            }
        }
    }
}
