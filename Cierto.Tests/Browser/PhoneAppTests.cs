using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>On site with a phone: the camera reads the label, the app installs, and offline it says so and queues nothing.</summary>
public sealed class PhoneAppTests(BrowserHost host) : BrowserTest(host)
{
    /// <summary>A phone-sized page in a Chromium whose camera shows <paramref name="video"/>; camera permission as given.</summary>
    private async Task<(IBrowser Browser, IPage Page)> PhoneWithCameraAsync(string video, bool allowCamera)
    {
        var browser = await Host.LaunchChromiumAsync("--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = PhoneSize.Width, Height = PhoneSize.Height },
            IsMobile = true,
            HasTouch = true,
            Permissions = allowCamera ? ["camera"] : [],
        });
        return (browser, await context.NewPageAsync());
    }

    /// <summary>The item's real printed label, painted as the browser shows it, made into the fake camera's video.</summary>
    private async Task<string> LabelVideoAsync(string adminEmail, Guid itemId)
    {
        var desk = await OpenAsync();
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await desk.GotoAsync($"equipment/labels?ids={itemId}");
        var (width, height, rgba) = await QrCodes.PaintAsync(desk.Locator(".cierto-qr").First);
        var path = Path.Combine(Path.GetTempPath(), $"cierto-label-{Guid.NewGuid():N}.y4m");
        FakeCamera.WriteY4m(path, width, height, rgba);
        return path;
    }

    [Fact]
    public async Task The_camera_reads_the_label_fills_the_code_and_the_worker_activates_after_confirming() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Rotating laser", "RL-1");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var video = await LabelVideoAsync(adminEmail, item.Id);
        var (browser, phone) = await PhoneWithCameraAsync(video, allowCamera: true);
        try
        {
            await SignInAsync(phone, workerEmail, AppFixture.Password);
            await GotoAsync(phone, "activate");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Scan label" }).ClickAsync();

            // The label holds the activation link; the page takes the code out of it and waits for the worker.
            var read = phone.GetByTestId("scan-read");
            await Expect(read).ToContainTextAsync(Cierto.Domain.Common.Codes.Format(item.ActivationCode), new() { Timeout = 20_000 });
            await Expect(phone.Locator("#activation-code")).ToHaveValueAsync(Cierto.Domain.Common.Codes.Format(item.ActivationCode));
            await Expect(phone.GetByTestId("scanner")).ToHaveCountAsync(0); // the camera view closed: the camera is released
            await using (var db = Host.Db())
            {
                Assert.False(await db.UsageSessions.AnyAsync(s => s.EquipmentId == item.Id), "Reading the label must not activate before the worker confirms.");
            }

            await ExpectAccessibleAsync(phone);
            await phone.GetByRole(AriaRole.Button, new() { Name = "Activate", Exact = true }).ClickAsync();
            await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Rotating laser" })).ToBeVisibleAsync();

            // Returning by scanning the same label, from My equipment.
            await GotoAsync(phone, "my-equipment");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Scan to return" }).ClickAsync();
            await phone.GetByRole(AriaRole.Button, new() { Name = "Return it" }).ClickAsync(new() { Timeout = 20_000 });
            await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Rotating laser is free again" })).ToBeVisibleAsync();
        }
        finally
        {
            await browser.CloseAsync();
            File.Delete(video);
        }
    });

    [Fact]
    public async Task With_the_camera_refused_the_page_says_so_and_typing_the_code_still_works() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Plate compactor", "PC-1");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var video = await LabelVideoAsync(adminEmail, item.Id);
        var (browser, phone) = await PhoneWithCameraAsync(video, allowCamera: false);
        try
        {
            await SignInAsync(phone, workerEmail, AppFixture.Password);
            await GotoAsync(phone, "activate");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Scan label" }).ClickAsync();
            await Expect(phone.GetByTestId("scan-problem")).ToContainTextAsync("Cierto may not use the camera");
            await ExpectAccessibleAsync(phone);

            await Field(phone, "Activation code").FillAsync(item.ActivationCode);
            await phone.GetByRole(AriaRole.Button, new() { Name = "Activate", Exact = true }).ClickAsync();
            await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Plate compactor" })).ToBeVisibleAsync();
        }
        finally
        {
            await browser.CloseAsync();
            File.Delete(video);
        }
    });

    [Fact]
    public async Task Chromium_finds_the_app_installable() => await JourneyAsync(async () =>
    {
        var profile = Directory.CreateTempSubdirectory("cierto-profile-");
        var context = await Host.LaunchProfileChromiumAsync(profile.FullName);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("Account/Login");
            await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
            var cdp = await context.NewCDPSessionAsync(page);
            var result = await cdp.SendAsync("Page.getInstallabilityErrors");
            var errors = result!.Value.GetProperty("installabilityErrors").EnumerateArray().Select(e => e.GetProperty("errorId").GetString()).ToList();
            Assert.True(errors.Count == 0, "Installability errors: " + string.Join(", ", errors));
            var manifest = await cdp.SendAsync("Page.getAppManifest");
            Assert.Empty(manifest!.Value.GetProperty("errors").EnumerateArray());
        }
        finally
        {
            await context.CloseAsync();
            profile.Delete(recursive: true);
        }
    });

    [Fact]
    public async Task With_the_server_gone_pages_show_the_offline_page_and_no_activation_is_kept_to_send_later() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Core drill", "CD-9");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);
        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, workerEmail, AppFixture.Password);
        await GotoAsync(phone, "activate");
        await phone.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await phone.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");

        string? activationAttempt = null;
        await Host.RestartAppAsync(async () =>
        {
            // The page's own activation path needs its connection, which is gone: the app says so.
            await Field(phone, "Activation code").FillAsync(item.ActivationCode);
            activationAttempt = await phone.EvaluateAsync<string>("""
                async code => {
                    try {
                        const response = await fetch('/api/v1/activations', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ activationCode: code }) });
                        return 'answered ' + response.status;
                    } catch (error) {
                        return 'failed';
                    }
                }
                """, item.ActivationCode);

            await phone.GotoAsync("my-equipment");
            await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "You are offline" })).ToBeVisibleAsync();
            await Expect(phone.GetByText("Activation needs a connection.")).ToBeVisibleAsync();
            await ExpectAccessibleAsync(phone);

            // Nothing stored to send later: the worker's caches hold the shell only, and no request waits anywhere.
            var cached = await phone.EvaluateAsync<string[]>("async () => (await Promise.all((await caches.keys()).map(async k => (await (await caches.open(k)).keys()).map(r => r.method + ' ' + new URL(r.url).pathname)))).flat()");
            Assert.All(cached, entry => Assert.StartsWith("GET ", entry, StringComparison.Ordinal));
            Assert.DoesNotContain(cached, entry => entry.Contains("activation", StringComparison.OrdinalIgnoreCase));
            Assert.Empty(await phone.EvaluateAsync<string[]>("async () => (await indexedDB.databases()).map(d => d.name)"));
        });

        Assert.Equal("failed", activationAttempt);
        await phone.GotoAsync("my-equipment");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "My equipment" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Task.Delay(2_000); // a queued request, were there one, would have gone out by now
        await using var db = Host.Db();
        Assert.False(await db.UsageSessions.AnyAsync(s => s.EquipmentId == item.Id), "No activation may reach the server after the connection came back.");
        Assert.Matches(new Regex("my-equipment$"), phone.Url);
    });
}
