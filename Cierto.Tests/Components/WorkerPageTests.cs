using Bunit;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Layout;
using Cierto.Web.Components.Pages.Work;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cierto.Tests.Components;

public sealed class WorkerPageTests(AppFixture app) : PageTestBase(app), IClassFixture<AppFixture>
{
    private async Task<(Cierto.Domain.Accounts.Actor Worker, EquipmentRow Item)> WorkerWithItemAsync()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        var item = await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Hilti drill", "HD-1", null, null)));
        var (_, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        return (worker, item);
    }

    [Fact]
    public async Task Activating_with_the_right_code_shows_a_success_status()
    {
        var (worker, item) = await WorkerWithItemAsync();
        SignIn(worker);
        var page = RenderInteractive<Activate>();

        page.Find("#activation-code").Input(item.ActivationCode.ToLowerInvariant());
        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            var status = page.Find("[role=status]");
            Assert.Contains("You are now using Hilti drill", status.TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task A_wrong_code_shows_an_error_alert_and_marks_the_field_invalid()
    {
        var (worker, _) = await WorkerWithItemAsync();
        SignIn(worker);
        var page = RenderInteractive<Activate>();

        page.Find("#activation-code").Input("ZZZZZZZ");
        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("does not match any item", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
            Assert.Equal("true", page.Find("#activation-code").GetAttribute("aria-invalid"));
        });
        Assert.Empty(page.FindAll("[data-testid=activation-success]"));
    }

    [Fact]
    public async Task An_item_in_use_is_refused_with_its_own_message()
    {
        var (worker, item) = await WorkerWithItemAsync();
        var (_, colleague) = await App.CreateUserAsync(Roles.Worker, worker.CompanyId);
        await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(colleague, item.ActivationCode));
        SignIn(worker);
        var page = RenderInteractive<Activate>();

        page.Find("#activation-code").Input(item.ActivationCode);
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("already in use", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_qr_code_parameter_fills_the_field()
    {
        var (worker, _) = await WorkerWithItemAsync();
        SignIn(worker);
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("activate?code=ABCD234");

        var page = RenderInteractive<Activate>();

        Assert.Equal("ABCD234", page.Find("#activation-code").GetAttribute("value"));
    }

    [Fact]
    public async Task My_equipment_lists_what_I_hold_and_deactivates_it()
    {
        var (worker, item) = await WorkerWithItemAsync();
        await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
        SignIn(worker);
        Render<NotificationArea>();
        var page = RenderInteractive<MyEquipment>();

        page.WaitForAssertion(() => Assert.Contains("Hilti drill", page.Find("[role=list]").TextContent, StringComparison.Ordinal));
        page.Find("button[aria-label='Deactivate Hilti drill']").Click();

        page.WaitForAssertion(() => Assert.Contains("not using any equipment", page.Markup, StringComparison.Ordinal));
        var held = await App.RunAsync<UsageHistory, IReadOnlyList<HeldItem>>(s => s.HeldByMeAsync(worker));
        Assert.Empty(held);
    }

    [Fact]
    public async Task A_page_left_open_by_a_worker_who_was_disabled_meanwhile_commits_nothing()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        var item = await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Laser level", null, null, null)));
        var (user, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        SignIn(worker);
        var page = RenderInteractive<Activate>();

        await App.RunAsync<WorkerService>(s => s.DisableAsync(admin, user.Id));
        page.Find("#activation-code").Input(item.ActivationCode);
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Your account has changed", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        await using var db = App.Db();
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.UsageSessions, s => s.WorkerId == user.Id));
    }
}
