using Cierto.Domain.Bookings;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>
/// axe-core over every page of the app, for each role, at desk and at phone size: no serious or
/// critical violation anywhere, and no content-policy violation in the console (the policy the app
/// sends allows exactly what its pages need). The journeys scan the states they pass through
/// (dialogs, messages, errors); this covers each page with real data in it.
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
    public async Task Every_page_has_no_serious_or_critical_axe_violation_nor_a_content_policy_violation_at_desk_and_phone_size(ColorScheme scheme) => await JourneyAsync(async () =>
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
                (Watched: await WatchedAsync(null, null, scheme), Paths: Anonymous),
                (Watched: await WatchedAsync(workerEmail, AppFixture.Password, scheme), Paths: WorkerPages),
                (Watched: await WatchedAsync(adminEmail, AppFixture.Password, scheme), Paths: admins),
                (Watched: await WatchedAsync(support.Email!, AppFixture.Password, scheme), Paths: SupportPages),
                (Watched: await WatchedAsync(BrowserHost.RootEmail, BrowserHost.RootPassword, scheme), Paths: RootPages),
            };
            var found = await Task.WhenAll(pages.Select(p => ScanAsync(p.Watched.Page, p.Paths, scheme, p.Watched.Violations)));
            var all = found.SelectMany(f => f).ToList();
            Assert.True(all.Count == 0, $"{all.Count} serious or critical or content-policy violation(s) in {scheme} mode:{Environment.NewLine}" + string.Join(Environment.NewLine, all));
        });

    [Fact]
    public async Task The_sweep_sees_a_content_policy_violation() => await JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        var violations = await WatchContentPolicyAsync(page);
        await page.GotoAsync("Account/Login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
        Assert.Empty(violations);

        // An injected inline script is refused by the policy, and the refusal is seen.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s); }");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Drain(violations) is var seen && !seen.Any(v => v.Contains("CSP violation: script-src-elem blocked inline", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "No content-policy violation was seen: " + string.Join(" | ", seen));
            await Task.Delay(50);
        }

        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
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

    /// <summary>A fresh profile whose content-policy violations are collected from its first page on.</summary>
    private async Task<(IPage Page, List<string> Violations)> WatchedAsync(string? email, string? password, ColorScheme scheme)
    {
        var page = await OpenAsync(colorScheme: scheme);
        var violations = await WatchContentPolicyAsync(page);
        if (email is not null)
        {
            await SignInAsync(page, email, password!);
        }

        return (page, violations);
    }

    /// <summary>Visits each page, lets it finish loading, and scans it at desk and phone size; returns every page's violations.</summary>
    private static async Task<List<string>> ScanAsync(IPage page, IEnumerable<string> paths, ColorScheme scheme, List<string> policyViolations)
    {
        var found = new List<string>();
        found.AddRange(Drain(policyViolations).Select(v => $"sign-in: {v}"));
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
            found.AddRange(Drain(policyViolations).Select(v => $"{path} content policy: {v}"));
        }

        return found;
    }

    private static List<string> Drain(List<string> violations)
    {
        lock (violations)
        {
            var seen = violations.ToList();
            violations.Clear();
            return seen;
        }
    }
}
