using System.Net;
using System.Text;
using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Web;

/// <summary>
/// ASVS 3.3.1: signing out, and every "sign out everywhere" path, ends the session on the server,
/// so a copied cookie, another browser or a back button does not resume it; and the paths that
/// end a worker's sign-ins also end their calendar feed address.
/// </summary>
public sealed class SignInSessionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string WorkerPage = "/my-equipment";

    private async Task<(CiertoUser Worker, Guid CompanyId, Cierto.Domain.Accounts.Actor Admin)> WorkerAsync()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        return (worker, companyId, admin);
    }

    private async Task<CookieBrowser> SignedInAsync(string email, string? userAgent = null)
    {
        var browser = CookieBrowser.For(app.App, userAgent);
        await browser.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(WorkerPage)).StatusCode);
        return browser;
    }

    /// <summary>The page is not served; the visitor is sent to sign in.</summary>
    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<string> FeedAsync(CiertoUser worker)
    {
        var secret = await app.RunAsync<CalendarFeeds, string>(s => s.CreateAsync(Cierto.Domain.Accounts.Actor.For(worker, [Roles.Worker])));
        Assert.Equal(HttpStatusCode.OK, (await app.App.CreateClient().GetAsync(new Uri($"/calendar/{secret}.ics", UriKind.Relative))).StatusCode);
        return secret;
    }

    private async Task<HttpStatusCode> FeedStatusAsync(string secret) =>
        (await app.App.CreateClient().GetAsync(new Uri($"/calendar/{secret}.ics", UriKind.Relative))).StatusCode;

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_afterwards()
    {
        var (worker, _, _) = await WorkerAsync();
        var browser = await SignedInAsync(worker.Email!);
        var copied = browser.CopiedAuthCookie!;

        var signOut = await browser.SignOutAsync(WorkerPage);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        AssertSentToSignIn(await CookieBrowser.GetWithCookieAsync(app.App, WorkerPage, copied));
        AssertSentToSignIn(await browser.GetAsync(WorkerPage));
    }

    [Fact]
    public async Task Sign_out_everywhere_else_ends_the_other_browsers_at_their_next_request_and_the_calendar_feed()
    {
        var (worker, _, _) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!, "Site tablet");
        var phone = await SignedInAsync(worker.Email!, "Own phone");
        var feed = await FeedAsync(worker);

        var done = await phone.PostFormAsync("/Account/Manage/Devices", "sign-out-other-browsers", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(WorkerPage)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatusAsync(feed));
    }

    [Fact]
    public async Task The_devices_page_lists_each_browser_and_signs_one_out()
    {
        var (worker, _, _) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36");
        var phone = await SignedInAsync(worker.Email!, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1");

        var page = await phone.GetStringAsync("/Account/Manage/Devices");
        Assert.Contains("Chrome on Linux", page, StringComparison.Ordinal);
        Assert.Contains("Safari on iPhone", page, StringComparison.Ordinal);
        Assert.Contains("This browser", page, StringComparison.Ordinal);

        var tabletSession = System.Text.RegularExpressions.Regex.Match(page, "name=\"BrowserSessionId\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var done = await phone.PostFormAsync("/Account/Manage/Devices", "sign-out-browser", new Dictionary<string, string> { ["BrowserSessionId"] = tabletSession });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(WorkerPage)).StatusCode);
        Assert.DoesNotContain("Chrome on Linux", await phone.GetStringAsync("/Account/Manage/Devices"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_browser_at_once()
    {
        var (worker, _, _) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!);
        var phone = await SignedInAsync(worker.Email!);

        var changed = await phone.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = AppFixture.Password,
            ["Input.NewPassword"] = "Another-pass-2026",
            ["Input.ConfirmPassword"] = "Another-pass-2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(WorkerPage)).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_ends_every_browser_and_the_calendar_feed()
    {
        var (worker, _, _) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!);
        var feed = await FeedAsync(worker);
        var token = await app.RunAsync<UserManager<CiertoUser>, string>(async users => await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(worker.Id.ToString()))!));
        var link = $"/Account/ResetPassword?code={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";

        var reset = await CookieBrowser.For(app.App).PostFormAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = worker.Email!,
            ["Input.Password"] = "Reset-pass-2026!",
            ["Input.ConfirmPassword"] = "Reset-pass-2026!",
            ["Input.Code"] = token,
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/Account/ResetPasswordConfirmation", reset.Headers.Location!.AbsolutePath);

        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatusAsync(feed));
    }

    [Fact]
    public async Task Disabling_a_worker_ends_their_browsers_at_once_and_their_feed_for_good()
    {
        var (worker, _, admin) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!);
        var feed = await FeedAsync(worker);

        await app.RunAsync<WorkerService>(s => s.DisableAsync(admin, worker.Id));
        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));

        // Let back in, the worker signs in again; the old feed address stays dead.
        await app.RunAsync<WorkerService>(s => s.EnableAsync(admin, worker.Id));
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatusAsync(feed));
    }

    [Fact]
    public async Task Suspending_a_company_ends_its_members_browsers_at_once()
    {
        var (worker, companyId, _) = await WorkerAsync();
        var tablet = await SignedInAsync(worker.Email!);
        var (_, root) = await app.CreateUserAsync(Roles.Root);

        await app.RunAsync<CompanyService>(s => s.SuspendAsync(root, companyId));

        AssertSentToSignIn(await tablet.GetAsync(WorkerPage));
    }

    [Fact]
    public async Task Signing_in_again_in_the_same_browser_starts_a_new_session_and_ends_the_old_one()
    {
        var (worker, _, _) = await WorkerAsync();
        var browser = await SignedInAsync(worker.Email!);
        var before = browser.CopiedAuthCookie!;

        await browser.SignInAsync(worker.Email!);

        AssertSentToSignIn(await CookieBrowser.GetWithCookieAsync(app.App, WorkerPage, before));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(WorkerPage)).StatusCode);
    }
}
