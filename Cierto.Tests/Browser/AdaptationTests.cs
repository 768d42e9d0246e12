using System.Globalization;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>
/// The worker's core path (sign in → activate → my equipment) as people with other needs use it:
/// Windows high contrast (forced colours), less motion, and text at 200 %.
/// </summary>
public sealed class AdaptationTests(BrowserHost host) : BrowserTest(host)
{
    private const string OverflowScript = "() => document.documentElement.scrollWidth - window.innerWidth";

    [Fact]
    public async Task In_forced_colours_focus_rings_alerts_and_buttons_stay_visible() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Plate compactor");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var page = await OpenAsync(Screen.Phone, configure: o => o.ForcedColors = ForcedColors.Active);
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"));

        await SignInAsync(page, workerEmail, AppFixture.Password);
        await GotoAsync(page, "activate");
        var code = Field(page, "Activation code");
        await code.FocusAsync();
        Assert.Equal("solid", await code.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        Assert.True(await code.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).outlineWidth)") >= 2);
        Assert.Equal("solid", await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).EvaluateAsync<string>("e => getComputedStyle(e).borderTopStyle"));

        await code.FillAsync(item.ActivationCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        var success = page.GetByTestId("activation-success");
        await Expect(success).ToBeVisibleAsync();
        Assert.Equal("solid", await success.EvaluateAsync<string>("e => getComputedStyle(e).borderTopStyle"));
        await ExpectAccessibleAsync(page);

        await GotoAsync(page, "my-equipment");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Plate compactor" })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(page);
    });

    [Fact]
    public async Task With_reduced_motion_nothing_moves_not_even_the_reconnect_bar() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, _) = await CompanyAsync();
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var page = await OpenAsync(Screen.Phone, configure: o => o.ReducedMotion = ReducedMotion.Reduce);
        await SignInAsync(page, workerEmail, AppFixture.Password);
        await GotoAsync(page, "activate");

        var button = page.GetByRole(AriaRole.Button, new() { Name = "Activate" });
        Assert.True(await DurationAsync(button, "transitionDuration") < 0.001);
        var bar = page.Locator("#components-reconnect-modal .mud-progress-linear-bar").First;
        Assert.True(await DurationAsync(bar, "animationDuration") < 0.001);
    });

    [Theory]
    [InlineData(Screen.Desk)]
    [InlineData(Screen.Phone)]
    public async Task At_200_percent_text_every_step_fits_the_width_without_sideways_scrolling(Screen screen) => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Long-handled telescopic hedge trimmer", "HT-2000-XL");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);

        // A desk browser at 200 % lays the page out at half its width; a phone zooms the text instead.
        var page = await OpenAsync(screen, configure: o => o.ViewportSize = screen == Screen.Desk ? new ViewportSize { Width = DeskSize.Width / 2, Height = DeskSize.Height / 2 } : o.ViewportSize);
        if (screen == Screen.Phone)
        {
            await page.AddInitScriptAsync("document.addEventListener('DOMContentLoaded', () => document.documentElement.style.fontSize = '200%')");
        }

        await page.GotoAsync("Account/Login");
        Assert.True(await page.EvaluateAsync<int>(OverflowScript) <= 0, "The sign-in page scrolls sideways.");
        await SignInAsync(page, workerEmail, AppFixture.Password);
        await GotoAsync(page, "activate");
        await Field(page, "Activation code").FillAsync(item.ActivationCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByTestId("activation-success")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>(OverflowScript) <= 0, "The activate page scrolls sideways.");

        await GotoAsync(page, "my-equipment");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Deactivate Long-handled telescopic hedge trimmer" })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>(OverflowScript) <= 0, "My equipment scrolls sideways.");
    });

    private static async Task<double> DurationAsync(ILocator element, string property)
    {
        var value = await element.EvaluateAsync<string>($"e => getComputedStyle(e).{property}");
        return value.Split(',').Max(part => part.Trim() is var p && p.EndsWith("ms", StringComparison.Ordinal)
            ? double.Parse(p[..^2], CultureInfo.InvariantCulture) / 1000
            : double.Parse(p.TrimEnd('s'), CultureInfo.InvariantCulture));
    }
}
