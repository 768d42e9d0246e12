using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>Keyboard-only use, and a server that goes away under an open page.</summary>
public sealed class KeyboardAndReconnectTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task Signing_in_activating_and_releasing_work_with_tab_and_enter_alone() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        await ItemAsync(admin, "Angle grinder", "AG-1");
        var item = await ItemAsync(admin, "Plate compactor", "PC-3");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);

        var page = await OpenAsync(Screen.Phone);
        await page.GotoAsync("Account/Login");
        await TabToAsync(page, "#email");
        await page.Keyboard.TypeAsync(workerEmail);
        await TabToAsync(page, "#password");
        await page.Keyboard.TypeAsync(AppFixture.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitInteractiveAsync(page);

        await TabToAsync(page, "button[aria-label='Toggle navigation']");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, "nav a[href='activate']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/activate$"));
        await WaitInteractiveAsync(page);
        await TabToAsync(page, "#activation-code");
        await page.Keyboard.TypeAsync(item.ActivationCode);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Plate compactor" })).ToBeVisibleAsync();

        await TabToAsync(page, "#main a[href='my-equipment']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/my-equipment$"));
        await TabToAsync(page, "button[aria-label='Deactivate Plate compactor']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Plate compactor is free again" })).ToBeVisibleAsync();
    });

    [Fact]
    public async Task When_the_server_restarts_the_page_shows_the_reconnect_dialog_and_then_works_again() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Diamond saw", "DS-9");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var page = await OpenAsync();
        await SignInAsync(page, workerEmail, AppFixture.Password);
        await GotoAsync(page, "activate");

        var reconnect = page.GetByRole(AriaRole.Dialog, new() { Name = "Connection lost" });
        await Host.RestartAppAsync(whileStopped: async () =>
        {
            await Expect(reconnect).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Expect(reconnect.GetByRole(AriaRole.Progressbar, new() { Name = "Reconnecting" })).ToBeVisibleAsync();
            Assert.Contains("mud-paper", await reconnect.GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
            await ExpectAccessibleAsync(page);
        });

        await Expect(reconnect).ToBeHiddenAsync(new() { Timeout = 45_000 });
        await WaitInteractiveAsync(page);
        await Field(page, "Activation code").FillAsync(item.ActivationCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Diamond saw" })).ToBeVisibleAsync();
    });

    /// <summary>Presses Tab (only Tab) until the element matching <paramref name="selector"/> has the focus.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}.");
    }
}
