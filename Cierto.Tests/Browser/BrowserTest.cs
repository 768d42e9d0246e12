using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cierto.Domain.Accounts;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>Where a browser test looks at the app from.</summary>
public enum Screen
{
    Desk,
    Phone,
}

/// <summary>
/// Helpers for journeys: browser contexts at desk or phone size, signing in through the real
/// form, an axe scan of every page a journey visits, and a screenshot plus the page's HTML in
/// <c>TestResults/browser/</c> when a journey fails.
/// </summary>
[Collection(BrowserSuite.Name)]
public abstract class BrowserTest(BrowserHost host) : IAsyncLifetime
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    /// <summary>
    /// The axe-core build that Deque.AxeCore.Playwright ships (in Deque.AxeCore.Commons), run in
    /// the page itself. The package's RunAxe finishes every scan in a fresh blank page and took
    /// 2.5 s per scan on the build machine; axe.run in the page takes about 0.1 s, with the same
    /// rules and results.
    /// </summary>
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is missing from Deque.AxeCore.Commons.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private const string TransitionsDoneScript = """
        () => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)
        """;

    private const string RunAxeScript = """
        async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
            .map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.map(n => n.html + ' (' + n.target.join(' ') + ') ' + (n.failureSummary ?? '')) }))
        """;

    private readonly List<IBrowserContext> contexts = [];
    private readonly List<IPage> pages = [];

    protected static (int Width, int Height) DeskSize => (1280, 800);

    /// <summary>A common phone (390×844 CSS pixels).</summary>
    protected static (int Width, int Height) PhoneSize => (390, 844);

    protected BrowserHost Host { get; } = host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A fresh browser profile (its own cookies) at desk (1280×800) or phone (390×844) size, in the system's light or dark colour scheme.</summary>
    protected async Task<IPage> OpenAsync(Screen screen = Screen.Desk, ColorScheme colorScheme = ColorScheme.Light, Action<BrowserNewContextOptions>? configure = null)
    {
        var options = new BrowserNewContextOptions
        {
            ColorScheme = colorScheme,
            BaseURL = Host.BaseUrl.ToString(),
            ViewportSize = screen == Screen.Phone
                ? new ViewportSize { Width = PhoneSize.Width, Height = PhoneSize.Height }
                : new ViewportSize { Width = DeskSize.Width, Height = DeskSize.Height },
            IsMobile = screen == Screen.Phone,
            HasTouch = screen == Screen.Phone,
            Locale = "en-GB",

            // A cluster's nginx serves a self-signed certificate made when it starts.
            IgnoreHTTPSErrors = Host.BaseUrl.Scheme == Uri.UriSchemeHttps,
        };
        configure?.Invoke(options);
        var context = await Host.Chromium.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        contexts.Add(context);
        var page = await context.NewPageAsync();
        pages.Add(page);
        return page;
    }

    /// <summary>
    /// Runs a journey; when it fails, every open page leaves a screenshot and its HTML behind
    /// as test artefacts before the failure is reported.
    /// </summary>
    protected async Task JourneyAsync(Func<Task> journey, [CallerMemberName] string name = "")
    {
        ArgumentNullException.ThrowIfNull(journey);
        try
        {
            await journey();
        }
        catch (Exception failure)
        {
            var saved = await SaveArtefactsAsync(name);
            throw new JourneyFailedException($"{name} failed; screenshots and HTML: {saved}", failure);
        }
    }

    /// <summary>Opens an interactive page and waits until its circuit runs it.</summary>
    protected static async Task GotoAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    protected static async Task WaitInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        // The page's default wait, not the assertion's 5 s: a circuit starts later on a loaded machine.
        await Expect(page.Locator("#main[data-interactive='true']")).ToBeAttachedAsync(new() { Timeout = 15_000 });
    }

    /// <summary>The text field with this label (a required field's label ends in "*").</summary>
    protected static ILocator Field(IPage page, string label)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.GetByLabel(new Regex($"^{Regex.Escape(label)}\\s*\\*?$"));
    }

    /// <summary>Signs in through the form, as a person would, and waits for the landing page.</summary>
    protected static async Task SignInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("Account/Login");
        await Field(page, "Email").FillAsync(email);
        await Field(page, "Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitInteractiveAsync(page);
    }

    /// <summary>
    /// Starts collecting every content-policy violation of the page: Chromium's own console errors
    /// ("Refused to …") and each <c>securitypolicyviolation</c> event, which an init script (not
    /// itself under the policy) writes to the console with the directive and what was blocked.
    /// </summary>
    protected static async Task<List<string>> WatchContentPolicyAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) || message.Text.StartsWith(ViolationPrefix, StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add($"{message.Type}: {message.Text}");
                }
            }
        };
        await page.AddInitScriptAsync($$"""
            document.addEventListener('securitypolicyviolation', e =>
                console.error('{{ViolationPrefix}} ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """);
        return violations;
    }

    private const string ViolationPrefix = "CSP violation:";

    /// <summary>axe-core on the page as it is now: no serious or critical violation may be present.</summary>
    protected static async Task ExpectAccessibleAsync(IPage page)
    {
        var blocking = await BlockingViolationsAsync(page);
        Assert.True(blocking.Count == 0, $"axe on {page.Url} ({page.ViewportSize?.Width}px): " + string.Join(Environment.NewLine, blocking));
    }

    /// <summary>The serious and critical axe violations on the page as it is now, one line each.</summary>
    protected static async Task<List<string>> BlockingViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);

        // Colours are judged as they end up, not halfway through a button's fade from disabled.
        await page.WaitForFunctionAsync(TransitionsDoneScript);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>(RunAxeScript);
        var blocking = violations.EnumerateArray()
            .Where(v => BlockingImpacts.Contains(v.GetProperty("impact").GetString()))
            .Select(v => $"[{v.GetProperty("impact").GetString()}] {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} — "
                + string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Take(4).Select(n => n.GetString())))
            .ToList();
        return blocking;
    }

    /// <summary>A worker or admin with a known password, made directly (the journeys about joining make theirs in the UI).</summary>
    protected async Task<(string Email, Actor Actor, string Name)> UserAsync(string role, Guid companyId)
    {
        var (user, actor) = await Host.CreateUserAsync(role, companyId);
        return (user.Email!, actor, user.DisplayName);
    }

    protected async Task<EquipmentRow> ItemAsync(Actor admin, string name, string? inventoryNumber = null) =>
        await Host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, inventoryNumber, "Tools", null)));

    /// <summary>A company with an admin who can sign in, for journeys that start after registration.</summary>
    protected async Task<(Guid CompanyId, string JoinCode, string AdminEmail, Actor Admin)> CompanyAsync()
    {
        var (companyId, joinCode, _) = await Host.CreateCompanyAsync();
        var (email, admin, _) = await UserAsync(Roles.CompanyAdmin, companyId);
        return (companyId, joinCode, email, admin);
    }

    private async Task<string> SaveArtefactsAsync(string name)
    {
        var folder = ArtefactFolder();
        Directory.CreateDirectory(folder);
        var stamp = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            if (page.IsClosed)
            {
                continue;
            }

            var file = Path.Combine(folder, $"{name}-{stamp}-page{i + 1}");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file + ".png", FullPage = true, Timeout = 5_000 });
                await File.WriteAllTextAsync(file + ".html", $"<!-- {page.Url} -->\n" + await page.ContentAsync());
            }
            catch (PlaywrightException)
            {
                // A page that cannot be captured any more must not hide the real failure.
            }
        }

        return folder;
    }

    private static string ArtefactFolder()
    {
        if (Environment.GetEnvironmentVariable("CIERTO_TEST_ARTIFACTS") is { Length: > 0 } configured)
        {
            return configured;
        }

        return Path.Combine(RepositoryRoot.FullPath, "TestResults", "browser");
    }
}

/// <summary>A journey's failure, with where its screenshots went.</summary>
public sealed class JourneyFailedException(string message, Exception inner) : Exception(message, inner);
