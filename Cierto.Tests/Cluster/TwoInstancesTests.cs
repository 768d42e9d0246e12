using System.Net;
using System.Threading.Channels;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Cluster;

/// <summary>Two app instances on one PostgreSQL and one Redis, as behind the load balancer.</summary>
public sealed class TwoInstancesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_activation_on_instance_a_reaches_a_dashboard_subscriber_on_instance_b()
    {
        var instanceA = app.App;
        await using var instanceB = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = instanceA.RedisPrefix });
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Shared drill", null, null, null)));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var received = Channel.CreateUnbounded<(EquipmentUsageChanged Change, DateTime At)>();
        using var subscription = instanceB.Services.GetRequiredService<IEventBus>().Subscribe(companyId, e => received.Writer.WriteAsync((e, DateTime.UtcNow)).AsTask());
        await RedisSubscribers.WaitAsync(instanceB.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), instanceA.RedisPrefix, companyId, atLeast: 1);

        await using (var scope = instanceA.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UsageService>().ActivateAsync(worker, item.ActivationCode)).Succeeded);
        }

        // A generous deadline for a delivery; how fast it is, is measured in bench/ (live latency), not here.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (change, _) = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal(UsageChangeKind.Activated, change.Kind);
        Assert.Equal(item.Id, change.EquipmentId);
    }

    [Fact]
    public async Task A_cookie_issued_by_instance_a_is_accepted_by_instance_b()
    {
        var instanceA = app.App;
        await using var instanceB = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = instanceA.RedisPrefix });
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);

        var (_, setCookies) = await instanceA.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false })
            .PostFormWithCookiesAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = adminUser.Email!, ["Input.Password"] = AppFixture.Password });
        var authCookie = setCookies.Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));

        var clientB = instanceB.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/workers");
        request.Headers.Add("Cookie", authCookie);
        var response = await clientB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Workers", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>The whole app with Redis stopped mid-run and started again.</summary>
public sealed class RedisOutageTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Requests_keep_working_without_redis_and_events_cross_instances_again_when_it_returns()
    {
        await using var redis = new RedisProcess();
        await redis.StartAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString, ["Cierto:Redis:Prefix"] = "outage:" };
        await using var instanceA = new CiertoAppFactory(database, settings);
        await using var instanceB = new CiertoAppFactory(database, settings);
        _ = instanceA.Server;
        var (companyId, worker, items) = await SeedAsync(instanceA);
        var received = Channel.CreateUnbounded<EquipmentUsageChanged>();
        using var subscription = instanceB.Services.GetRequiredService<IEventBus>().Subscribe(companyId, e => received.Writer.WriteAsync(e).AsTask());
        await RedisSubscribers.WaitAsync(instanceB.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), "outage:", companyId, atLeast: 1);

        await redis.StopAsync();
        await using (var scope = instanceA.Services.CreateAsyncScope())
        {
            var usage = scope.ServiceProvider.GetRequiredService<UsageService>();
            Assert.True((await usage.ActivateAsync(worker, items[0].ActivationCode)).Succeeded);
            Assert.Equal(ActivationStatus.InvalidCode, (await usage.ActivateAsync(worker, "ZZZZZZZ")).Status); // the throttle falls back too
        }

        Assert.Equal(HttpStatusCode.OK, (await instanceA.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        await redis.StartAsync();
        using var resyncWait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await received.Reader.ReadAsync(resyncWait.Token)).Kind != UsageChangeKind.Resync)
        {
        }

        await WaitUntilBothAreBackAsync(redis, instanceA, companyId);
        await using (var scope = instanceA.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UsageService>().ActivateAsync(worker, items[1].ActivationCode)).Succeeded);
        }

        using var eventWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        EquipmentUsageChanged next;
        do
        {
            next = await received.Reader.ReadAsync(eventWait.Token);
        }
        while (next.Kind != UsageChangeKind.Activated || next.EquipmentId != items[1].Id);
    }

    /// <summary>
    /// Each instance reconnects on its own schedule: A must be able to publish again and B's
    /// subscription must be registered on the restarted server before an event can cross.
    /// </summary>
    private static async Task WaitUntilBothAreBackAsync(RedisProcess redis, CiertoAppFactory instanceA, Guid companyId)
    {
        var publisher = instanceA.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        await using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var subscribers = await probe.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", $"outage:usage:{companyId:N}");
            if (publisher.IsConnected && (long)((StackExchange.Redis.RedisResult[])subscribers!)[1] > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "Both instances should reconnect to Redis within 20 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<(Guid CompanyId, Cierto.Domain.Accounts.Actor Worker, List<EquipmentRow> Items)> SeedAsync(CiertoAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var root = new Cierto.Domain.Accounts.Actor(Guid.NewGuid(), null, [Roles.Root]);
        var company = await scope.ServiceProvider.GetRequiredService<Cierto.Domain.Companies.CompanyRegistrationService>()
            .CreateAsync(root, new Cierto.Domain.Companies.CreateCompanyRequest("Outage Ltd", AppFixture.Unique("OUT"), AppFixture.Email("admin"), "Admin"));
        var admin = new Cierto.Domain.Accounts.Actor(company.AdminId, company.CompanyId, [Roles.CompanyAdmin]);
        var equipment = scope.ServiceProvider.GetRequiredService<EquipmentService>();
        var items = new List<EquipmentRow>
        {
            await equipment.CreateAsync(admin, new EquipmentInput("First", null, null, null)),
            await equipment.CreateAsync(admin, new EquipmentInput("Second", null, null, null)),
        };
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CiertoUser>>();
        var worker = Cierto.Domain.Accounts.AccountRules.NewUser(AppFixture.Email("w"), "Worker", company.CompanyId, UserStatus.Active, DateTimeOffset.UtcNow);
        await users.CreateAsync(worker, AppFixture.Password);
        await users.AddToRoleAsync(worker, Roles.Worker);
        return (company.CompanyId, new Cierto.Domain.Accounts.Actor(worker.Id, company.CompanyId, [Roles.Worker]), items);
    }
}
