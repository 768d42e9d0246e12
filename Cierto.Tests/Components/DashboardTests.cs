using Bunit;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using DashboardPage = Cierto.Web.Components.Pages.Dashboard.Dashboard;

namespace Cierto.Tests.Components;

public sealed class DashboardTests(AppFixture app) : PageTestBase(app), IClassFixture<AppFixture>
{
    private async Task<(Cierto.Domain.Accounts.Actor Admin, Cierto.Domain.Accounts.Actor Worker, EquipmentRow Drill)> CompanyAsync()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        var drill = await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Hilti drill", "HD-1", null, null)));
        await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Leica laser", "LS-1", null, null)));
        var (_, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        return (admin, worker, drill);
    }

    private IRenderedComponent<DashboardPage> RenderDashboard()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        Render<NotificationArea>();
        return RenderInteractive<DashboardPage>();
    }

    [Fact]
    public async Task The_dashboard_shows_the_item_in_use_by_itself_when_a_worker_activates()
    {
        var (admin, worker, drill) = await CompanyAsync();
        SignIn(admin, "Admin");
        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=count-in-use]").TextContent.Trim()));
        Assert.Equal("2", page.Find("[data-testid=count-free]").TextContent.Trim());

        // The worker's activation runs elsewhere; the page only hears the bus.
        await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, drill.ActivationCode));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("1", page.Find("[data-testid=count-in-use]").TextContent.Trim());
            Assert.Contains("Hilti drill", page.Find("[data-testid=in-use-table]").TextContent, StringComparison.Ordinal);
            Assert.Contains("started using", page.Find("[data-testid=activity]").TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_burst_of_events_is_coalesced_into_a_few_reloads()
    {
        var (admin, worker, drill) = await CompanyAsync();
        SignIn(admin, "Admin");
        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-free]").TextContent.Trim()));
        var bus = Services.GetRequiredService<IEventBus>();
        var feed = Services.GetRequiredService<DashboardFeed>();
        var rendersBefore = page.RenderCount;
        var loadsBefore = feed.Loads;

        var publishing = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ =>
            bus.PublishAsync(new EquipmentUsageChanged(admin.CompanyId!.Value, Guid.NewGuid(), null, UsageChangeKind.EquipmentChanged, DateTimeOffset.UtcNow))));

        publishing.Stop();

        // A real activation after the burst marks its end: once the page shows it, the burst is behind the feed.
        await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, drill.ActivationCode));
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=count-in-use]").TextContent.Trim()), TimeSpan.FromSeconds(10));

        // One load per 50 ms window of the burst (plus the first and the last), not one per event.
        var windows = (int)(publishing.ElapsedMilliseconds / DashboardFeed.MinInterval.TotalMilliseconds) + 3; // the marker may take one more
        Assert.InRange(feed.Loads - loadsBefore, 1, Math.Min(windows, 100));
        // Without coalescing each event would reload and render at least once: 500 renders or more.
        Assert.True(page.RenderCount - rendersBefore < 100, $"{page.RenderCount - rendersBefore} renders for 500 events");
    }

    [Fact]
    public async Task Twenty_open_dashboards_share_one_subscription_and_closing_them_leaves_none_behind()
    {
        var (admin, _, _) = await CompanyAsync();
        SignIn(admin, "Admin");
        var bus = Services.GetRequiredService<IEventBus>();
        var feed = Services.GetRequiredService<DashboardFeed>();
        var (subscribers, viewers) = (bus.SubscriberCount, feed.Viewers);
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        Render<NotificationArea>();

        var pages = Enumerable.Range(0, 20).Select(_ => RenderInteractive<DashboardPage>()).ToList();
        foreach (var page in pages)
        {
            page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-free]").TextContent.Trim()));
        }

        Assert.Equal(viewers + 20, feed.Viewers);
        Assert.Equal(subscribers + 1, bus.SubscriberCount);
        await DisposeComponentsAsync();

        Assert.Equal(viewers, feed.Viewers);
        Assert.Equal(subscribers, bus.SubscriberCount);
    }
}
