using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cierto.Tests.Browser;

/// <summary>
/// Browser tests run one at a time, after the rest of the suite, so a slow machine does not turn
/// "within 2 s" into a flaky test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserSuite : ICollectionFixture<BrowserHost>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real app on a real Kestrel port (PostgreSQL, Redis, production wiring) and Debian's
/// Chromium driven by Playwright. No browser is downloaded: ./test.sh installs
/// <c>/usr/bin/chromium</c> from apt, and <c>CIERTO_TEST_CHROMIUM</c> may point elsewhere.
/// </summary>
public class BrowserHost : AppFixture
{
    public const string RootEmail = "root@browser.cierto.test";
    public const string RootPassword = "Browser-root-2026!";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly int port = LoopbackPorts.Free();
    private IPlaywright? playwright;

    public BrowserHost()
    {
    }

    /// <summary>The browser and app on a database of another server (a fault test's own cluster).</summary>
    protected BrowserHost(PostgresDatabase database)
        : base(database)
    {
    }

    public IBrowser Chromium { get; private set; } = default!;

    /// <summary>Where the browser goes: this app's own port (a cluster host points it at nginx).</summary>
    public virtual Uri BaseUrl => new($"http://127.0.0.1:{port}/");

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Cierto:Bootstrap:RootEmail"] = RootEmail,
        ["Cierto:Bootstrap:RootPassword"] = RootPassword,
        ["Cierto:PublicBaseUrl"] = $"http://127.0.0.1:{port}/",

        // Joining is settled by the outbox worker; a person waits a moment, not an hour.
        ["Cierto:Outbox:PollMilliseconds"] = "250",

        // Overdue bookings are looked for every 30 s in production; a journey waits for one.
        ["Cierto:Bookings:ScanSeconds"] = "2",

        // Offered only to whoever asks for it (cookie or account): the layout check reads every page in it.
        ["Cierto:Localization:Pseudo"] = "true",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var executable = Environment.GetEnvironmentVariable("CIERTO_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not installed at {executable}; ./test.sh installs it (apt-get install chromium).");
        }

        playwright = await Playwright.CreateAsync();
        executablePath = executable;
        Chromium = await LaunchChromiumAsync();
    }

    private string executablePath = "/usr/bin/chromium";

    /// <summary>A Chromium with a profile on disk (not incognito: installability needs one); the caller closes it.</summary>
    public Task<IBrowserContext> LaunchProfileChromiumAsync(string userDataDir) =>
        playwright!.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executablePath,
            Headless = true,
            Args = ChromiumArgs,
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });

    /// <summary>Another Chromium with extra switches (a fake camera); the caller closes it.</summary>
    public Task<IBrowser> LaunchChromiumAsync(params string[] extraArgs) =>
        playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executablePath,
            Headless = true,
            Args = [.. ChromiumArgs, .. extraArgs],
        });

    public override async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.CloseAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Same port every time, so open pages find the server again after a restart.</summary>
    protected override void Launch(CiertoAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseKestrel(port);
        app.StartServer();
    }
}
