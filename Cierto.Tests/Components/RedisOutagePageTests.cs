using Bunit;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Layout;
using Cierto.Web.Components.Pages.Work;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using DashboardPage = Cierto.Web.Components.Pages.Dashboard.Dashboard;

namespace Cierto.Tests.Components;

/// <summary>
/// Two instances on a private redis-server: the pages render on this fixture's app (instance B),
/// the changes happen on <see cref="Other"/> (instance A). While Redis is down A's events cannot
/// reach B; when it returns B's bus tells its pages to resync, and they show the database's truth.
/// </summary>
public sealed class RedisOutageFixture : AppFixture
{
    public RedisProcess Redis { get; } = new();

    public CiertoAppFactory Other { get; private set; } = default!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = Redis.ConnectionString,
        ["Cierto:Redis:Prefix"] = "page-outage:",
    };

    public override async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await base.InitializeAsync();
        Other = new CiertoAppFactory(Database, new Dictionary<string, string?>(AppSettings));
        _ = Other.Server;
    }

    public override async Task DisposeAsync()
    {
        await Other.DisposeAsync();
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>Runs a service call on instance A.</summary>
    public async Task<T> OnOtherAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = Other.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Stops Redis, runs the change on A while it is down, starts Redis again.</summary>
    public async Task WhileRedisIsDownAsync(Func<Task> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await Redis.StopAsync();
        try
        {
            await change();
        }
        finally
        {
            await Redis.StartAsync();
        }
    }
}

public sealed class RedisOutagePageTests(RedisOutageFixture app) : PageTestBase(app), IClassFixture<RedisOutageFixture>
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(30);

    private RedisOutageFixture Pair => (RedisOutageFixture)App;

    private async Task<(Cierto.Domain.Accounts.Actor Admin, Cierto.Domain.Accounts.Actor Worker, EquipmentRow Item)> CompanyAsync()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        var item = await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Outage drill", "OD-1", null, null)));
        var (_, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        return (admin, worker, item);
    }

    private async Task SubscribedAsync(Guid companyId) =>
        await RedisSubscribers.WaitAsync(App.App.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), "page-outage:", companyId, atLeast: 1);

    [Fact]
    public async Task The_dashboard_shows_an_activation_it_missed_while_redis_was_down_once_redis_returns()
    {
        var (admin, worker, item) = await CompanyAsync();
        SignIn(admin, "Admin");
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        Render<NotificationArea>();
        var page = RenderInteractive<DashboardPage>();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=count-in-use]").TextContent.Trim()));
        await SubscribedAsync(admin.CompanyId!.Value);

        await Pair.WhileRedisIsDownAsync(async () =>
            Assert.True((await Pair.OnOtherAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).Succeeded));

        // The activation's event died with Redis; only the resync after the reconnect can bring it.
        page.WaitForAssertion(() =>
        {
            Assert.Equal("1", page.Find("[data-testid=count-in-use]").TextContent.Trim());
            Assert.Contains("Outage drill", page.Find("[data-testid=in-use-table]").TextContent, StringComparison.Ordinal);
        }, Reconnect);
    }

    [Fact]
    public async Task My_equipment_drops_an_item_force_released_while_redis_was_down_once_redis_returns()
    {
        var (admin, worker, item) = await CompanyAsync();
        var session = (await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).SessionId!.Value;
        SignIn(worker);
        Render<NotificationArea>();
        var page = RenderInteractive<MyEquipment>();
        page.WaitForAssertion(() => Assert.Contains("Outage drill", page.Find("[role=list]").TextContent, StringComparison.Ordinal));
        await SubscribedAsync(worker.CompanyId!.Value);

        await Pair.WhileRedisIsDownAsync(async () =>
            Assert.Equal(ReleaseStatus.Released, await Pair.OnOtherAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, "Needed elsewhere"))));

        page.WaitForAssertion(() => Assert.Contains("not using any equipment", page.Markup, StringComparison.Ordinal), Reconnect);
    }
}
