using Cierto.Domain.Bookings;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>
/// axe-core over every page of the app, for each role, at desk and at phone size: no serious or
/// critical violation anywhere. The journeys scan the states they pass through (dialogs,
/// messages, errors); this covers each page with real data in it.
/// </summary>
public sealed class AccessibilityTests(BrowserHost host) : BrowserTest(host)
{
    private static readonly string[] Anonymous = ["", "Account/Login", "Account/ForgotPassword", "join", "register-company", "pricing", "buy?plan=team"];
    private static readonly string[] WorkerPages = ["", "free-equipment", "activate", "my-equipment", "history", "bookings", "Account/Manage"];
    private static readonly string[] SupportPages = ["support/invite-codes", "support/companies", "support/orders", "root/audit", "Account/Manage/TwoFactorAuthentication"];
    private static readonly string[] RootPages = ["root/staff", "root/outbox"];

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_page_has_no_serious_or_critical_axe_violation_at_desk_and_phone_size(ColorScheme scheme) => await JourneyAsync(async () =>
        {
            var (companyId, _, adminEmail, admin) = await CompanyAsync();
            var item = await ItemAsync(admin, "Hilti drill", "H-1");
            var booked = await ItemAsync(admin, "Laser level", "L-2");
            var (workerEmail, worker, _) = await UserAsync(Roles.Worker, companyId);
            await Host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
            var soon = DateTimeOffset.UtcNow.AddHours(1);
            await Host.RunAsync<BookingService, Guid>(s => s.CreateAsync(worker, new BookingInput(booked.Id, soon, soon.AddHours(2), "Bridge job")));
            var stockTake = await Host.RunAsync<Cierto.Domain.StockTakes.StockTakeService, Guid>(s => s.StartAsync(admin, null, null));
            await Host.RunAsync<Cierto.Domain.StockTakes.StockTakeService, Cierto.Domain.StockTakes.ScanResult>(s => s.ScanAsync(admin, stockTake, item.ActivationCode));
            var (support, _) = await Host.CreateUserAsync(Roles.Support);

            // One browser profile per role, scanned side by side (axe takes seconds per page).
            string[] admins = ["dashboard", "equipment", $"equipment/{item.Id}", $"equipment/labels?ids={item.Id}", "usage-history", "admin/workers", "bookings", "stock-takes", $"stock-takes/{stockTake}", "Account/Manage/ChangePassword"];
            var pages = new[]
            {
                (Page: await OpenAsync(colorScheme: scheme), Paths: Anonymous),
                (Page: await SignedInAsync(workerEmail, AppFixture.Password, scheme), Paths: WorkerPages),
                (Page: await SignedInAsync(adminEmail, AppFixture.Password, scheme), Paths: admins),
                (Page: await SignedInAsync(support.Email!, AppFixture.Password, scheme), Paths: SupportPages),
                (Page: await SignedInAsync(BrowserHost.RootEmail, BrowserHost.RootPassword, scheme), Paths: RootPages),
            };
            var found = await Task.WhenAll(pages.Select(p => ScanAsync(p.Page, p.Paths, scheme)));
            var all = found.SelectMany(f => f).ToList();
            Assert.True(all.Count == 0, $"{all.Count} page(s) with serious or critical violations in {scheme} mode:{Environment.NewLine}" + string.Join(Environment.NewLine, all));
        });

    [Fact]
    public async Task The_scan_fails_on_a_serious_violation() => await JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        await page.GotoAsync("Account/Login");
        await ExpectAccessibleAsync(page);

        // An image without alternative text is a critical violation; a button without a name is serious.
        await page.EvaluateAsync("() => document.querySelector('#main').insertAdjacentHTML('beforeend', '<img src=\"favicon.svg\"><button></button>')");
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => ExpectAccessibleAsync(page));
        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("button-name", failure.Message, StringComparison.Ordinal);
    });

    private async Task<IPage> SignedInAsync(string email, string password, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await OpenAsync(colorScheme: scheme);
        await SignInAsync(page, email, password);
        return page;
    }

    /// <summary>Visits each page, lets it finish loading, and scans it at desk and phone size; returns every page's violations.</summary>
    private static async Task<List<string>> ScanAsync(IPage page, IEnumerable<string> paths, ColorScheme scheme)
    {
        var found = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            var rendersStatically = path.StartsWith("Account/", StringComparison.Ordinal) || path.StartsWith("buy", StringComparison.Ordinal) || path is "join" or "register-company" or "pricing";
            if (!rendersStatically)
            {
                await WaitInteractiveAsync(page);
                await Expect(page.Locator("#main [role=progressbar]")).ToHaveCountAsync(0);
            }

            if (!rendersStatically)
            {
                // An interactive page follows the system's scheme once its circuit runs (static pages stay light).
                await Expect(page.Locator("#main")).ToHaveAttributeAsync("data-theme", scheme == ColorScheme.Dark ? "dark" : "light");
            }

            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
            found.AddRange((await BlockingViolationsAsync(page)).Select(v => $"{path} desk: {v}"));

            // The same page narrowed to a phone: MudBlazor's breakpoints re-lay it out in place.
            await page.SetViewportSizeAsync(PhoneSize.Width, PhoneSize.Height);
            await Expect(page.Locator("body")).ToHaveJSPropertyAsync("clientWidth", PhoneSize.Width);
            found.AddRange((await BlockingViolationsAsync(page)).Select(v => $"{path} phone: {v}"));
            await page.SetViewportSizeAsync(DeskSize.Width, DeskSize.Height);
        }

        return found;
    }
}
