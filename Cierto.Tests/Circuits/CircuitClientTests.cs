using Cierto.Circuits;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Circuits;

/// <summary>The load client in bench/ speaks the real protocol: it sees what a browser would see and changes data.</summary>
public sealed class CircuitClientTests(CircuitHost host) : IClassFixture<CircuitHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_dashboard_opened_without_a_browser_receives_an_activation_as_a_render_batch_with_the_workers_name()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (adminUser, _) = await host.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, worker) = await host.CreateUserAsync(Roles.Worker, companyId);
        var item = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Circuit drill", null, null, null)));

        await using var dashboard = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "dashboard"), await host.SignInCookieAsync(adminUser.Email!), new CircuitClientOptions { InspectBatches = true, ReadyWhenRendered = "count-in-use" });
        Assert.Null(dashboard.Error);
        Assert.True(dashboard.Batches >= 1);

        var arrives = dashboard.WaitForBatchAsync(b => b.Contains(workerUser.DisplayName), Wait);
        Assert.True((await host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).Succeeded);
        var batch = await arrives;

        Assert.True(batch.Contains("Circuit drill"));
        Assert.Null(dashboard.Error);
    }

    [Fact]
    public async Task A_click_dispatched_by_the_client_runs_the_pages_handler_and_changes_data()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (workerUser, worker) = await host.CreateUserAsync(Roles.Worker, companyId);
        var item = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Circuit saw", null, null, null)));
        Assert.True((await host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).Succeeded);

        await using var page = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "my-equipment"), await host.SignInCookieAsync(workerUser.Email!), new CircuitClientOptions { InspectBatches = true });
        var released = page.WaitForBatchAsync(b => !b.Contains("Deactivate Circuit saw") && b.UpdatedComponents > 0, Wait);
        await page.ClickAsync("Deactivate Circuit saw");
        await released;

        await using var db = host.Db();
        Assert.False(await db.UsageSessions.AnyAsync(s => s.EquipmentId == item.Id && s.EndedAt == null));
        Assert.Null(page.Error);
    }

    [Fact]
    public async Task Typing_a_code_and_submitting_the_activate_form_through_the_client_activates_the_item()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (workerUser, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var item = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Circuit grinder", null, null, null)));

        await using var page = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "activate"), await host.SignInCookieAsync(workerUser.Email!), new CircuitClientOptions { InspectBatches = true });
        await page.TypeAsync(item.ActivationCode.ToLowerInvariant());
        var answered = page.WaitForBatchAsync(b => b.Elements().Any(e => e.Attributes.GetValueOrDefault("data-testid") == "activation-success"), Wait);
        await page.SubmitAsync();

        Assert.True((await answered).Contains("Circuit grinder"));
        await using var db = host.Db();
        Assert.True(await db.UsageSessions.AnyAsync(s => s.EquipmentId == item.Id && s.WorkerId == workerUser.Id && s.EndedAt == null));
        Assert.Null(page.Error);
    }

    [Fact]
    public async Task A_closed_client_ends_its_circuit_on_the_server_at_once()
    {
        var (companyId, _, _) = await host.CreateCompanyAsync();
        var (adminUser, _) = await host.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var cookie = await host.SignInCookieAsync(adminUser.Email!);
        var feed = host.App.Services.GetRequiredService<DashboardFeed>();
        var before = feed.Viewers;

        var dashboard = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "dashboard"), cookie, new CircuitClientOptions { ReadyWhenRendered = "count-in-use" });
        Assert.Equal(before + 1, feed.Viewers);
        await dashboard.DisposeAsync();
        Assert.Equal(200, dashboard.DisconnectStatus);

        // The disconnect beacon disposes the circuit now, not after the disconnected-circuit retention period.
        var deadline = DateTime.UtcNow + Wait;
        while (feed.Viewers > before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(before, feed.Viewers);
    }
}
