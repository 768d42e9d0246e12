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
    public async Task An_activation_on_instance_a_reaches_a_dashboard_subscriber_on_instance_b_within_a_second()
    {
        var instanceA = app.App;
        await using var instanceB = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = instanceA.RedisPrefix });
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Shared drill", null, null, null)));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var received = Channel.CreateUnbounded<(EquipmentUsageChanged Change, DateTime At)>();
        using var subscription = instanceB.Services.GetRequiredService<IEventBus>().Subscribe(companyId, e => received.Writer.WriteAsync((e, DateTime.UtcNow)).AsTask());
        await Task.Delay(300); // B's SUBSCRIBE reaches Redis

        var started = DateTime.UtcNow;
        await using (var scope = instanceA.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UsageService>().ActivateAsync(worker, item.ActivationCode)).Succeeded);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var (change, at) = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal(UsageChangeKind.Activated, change.Kind);
        Assert.Equal(item.Id, change.EquipmentId);
        Assert.True(at - started < TimeSpan.FromSeconds(1));
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
