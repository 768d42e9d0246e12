using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>A worker on a phone on site, and the admin at a desk watching.</summary>
public sealed class WorkerJourneyTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task A_worker_joins_is_approved_and_uses_an_item_from_a_phone() => await JourneyAsync(async () =>
    {
        var (_, joinCode, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Hilti drill", "H-1");
        var workerEmail = $"walter-{Guid.NewGuid():N}@browser.cierto.test";
        const string workerPassword = "Walter-pass-2026!";

        var phone = await OpenAsync(Screen.Phone);
        await phone.GotoAsync("join");
        await ExpectAccessibleAsync(phone);
        await Field(phone, "Join code").FillAsync(joinCode);
        await Field(phone, "Display name").FillAsync("Walter Worker");
        await Field(phone, "Email").FillAsync(workerEmail);
        await Field(phone, "Password").FillAsync(workerPassword);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your request is in" })).ToContainTextAsync("confirm your address");
        await ExpectAccessibleAsync(phone);

        // The link from the confirmation mail, opened on the phone: only then are the admins asked.
        await phone.GotoAsync((await Host.MailedLinkAsync(workerEmail, "Account/ConfirmEmail")).TrimStart('/'));
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Thank you" })).ToContainTextAsync("your email address is confirmed");
        await ExpectAccessibleAsync(phone);

        var desk = await OpenAsync();
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await GotoAsync(desk, "admin/workers");
        await Expect(desk.GetByRole(AriaRole.Checkbox, new() { Name = "Waiting for approval (1)" })).ToBeCheckedAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Approve Walter Worker" }).ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Status).Filter(new() { HasText = "Walter Worker" })).ToBeVisibleAsync();

        await SignInAsync(phone, workerEmail, workerPassword);
        await ExpectAccessibleAsync(phone);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await phone.GetByRole(AriaRole.Link, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Activate equipment" })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(phone);

        await Field(phone, "Activation code").FillAsync(item.ActivationCode.ToLowerInvariant().Insert(3, "-"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Hilti drill" })).ToBeVisibleAsync();
        await Expect(phone.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Hilti" })).ToHaveCountAsync(0);

        await phone.GetByRole(AriaRole.Link, new() { Name = "Go to my equipment" }).ClickAsync();
        await phone.WaitForURLAsync(new Regex("/my-equipment$"));
        var held = phone.GetByRole(AriaRole.List, new() { Name = "Items you are using" }).GetByRole(AriaRole.Listitem);
        await Expect(held).ToHaveCountAsync(1);
        await Expect(held).ToContainTextAsync("Hilti drill");
        await ExpectAccessibleAsync(phone);

        await phone.GetByRole(AriaRole.Button, new() { Name = "Deactivate Hilti drill" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Hilti drill is free again" })).ToBeVisibleAsync();
        await Expect(phone.GetByText("You are not using any equipment right now.")).ToBeVisibleAsync();
        await ExpectAccessibleAsync(phone);
    });

    [Fact]
    public async Task The_admin_dashboard_shows_an_activation_and_the_release_without_a_reload() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Laser level", "LL-7");
        await ItemAsync(admin, "Spare ladder", "SL-1");
        var (workerEmail, _, workerName) = await UserAsync(Roles.Worker, companyId);

        var desk = await OpenAsync();
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await GotoAsync(desk, "dashboard");
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("0");
        await ExpectAccessibleAsync(desk);
        await desk.EvaluateAsync("() => window.ciertoNotReloaded = true");

        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, workerEmail, AppFixture.Password);
        await GotoAsync(phone, "activate");
        await Field(phone, "Activation code").FillAsync(item.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Laser level" })).ToBeVisibleAsync();

        // The page's default wait (15 s): that the update arrives without a reload is the claim here,
        // how fast it arrives is measured in bench/ (a loaded two-core machine missed a 2 s deadline).
        var inUse = desk.GetByTestId("in-use-table");
        await Expect(inUse).ToContainTextAsync("Laser level");
        await Expect(inUse).ToContainTextAsync(workerName);
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("1");
        await Expect(desk.GetByTestId("activity")).ToContainTextAsync("Laser level");
        await ExpectAccessibleAsync(desk);

        await GotoAsync(phone, "my-equipment");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Deactivate Laser level" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Laser level is free again" })).ToBeVisibleAsync();

        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("0");
        await Expect(inUse).Not.ToContainTextAsync("Laser level");
        Assert.True(await desk.EvaluateAsync<bool>("() => window.ciertoNotReloaded === true"), "The dashboard must update without reloading.");
    });
}
