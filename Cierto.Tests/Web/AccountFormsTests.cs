using System.Net;
using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Cierto.Tests.Web;

/// <summary>The account forms over HTTP as a browser posts them: forgot/reset password, and signing in with a second factor or a recovery code.</summary>
public sealed partial class AccountFormsTests(AccountFormsTests.ManyLoginsFixture app) : IClassFixture<AccountFormsTests.ManyLoginsFixture>
{
    public sealed class ManyLoginsFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:Limits:SignIn:PerClient"] = "10000",
            ["Cierto:Limits:SignIn:PerAccount"] = "10000",
            ["Cierto:Limits:ForgotPassword:PerClient"] = "10000",
            ["Cierto:Outbox:PollMilliseconds"] = "200",
        };
    }

    private HttpClient Browser() => app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Forgot_password_answers_alike_for_known_and_unknown_addresses_and_the_mailed_link_resets_it()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Worker, (await app.CreateCompanyAsync()).CompanyId);
        var known = await Browser().PostFormAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email! });
        var unknown = await Browser().PostFormAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = AppFixture.Email("nobody") });
        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal((known.StatusCode, Target(known)), (unknown.StatusCode, Target(unknown)));
        Assert.Equal("/Account/ForgotPasswordConfirmation", Target(known));

        var link = await app.MailedLinkAsync(user.Email!, "Account/ResetPassword");
        var browser = Browser();
        var reset = await browser.PostFormAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = "Brand-new-pass-2026",
            ["Input.ConfirmPassword"] = "Brand-new-pass-2026",
            ["Input.Code"] = HiddenCode().Match(await browser.GetStringAsync(new Uri(link, UriKind.Relative))).Groups[1].Value,
        });
        Assert.Equal("/Account/ResetPasswordConfirmation", Target(reset));

        await app.App.SignInAsync(user.Email!, "Brand-new-pass-2026"); // asserts the redirect of a successful sign-in
        var old = await Browser().PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = AppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode); // the form again, with its error: the old password is gone
        Assert.Contains("Sign-in failed", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_two_factor_on_the_password_leads_to_the_code_form_and_only_a_right_code_signs_in()
    {
        var (user, key, _) = await TwoFactorUserAsync();
        var browser = Browser();
        var password = await browser.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = AppFixture.Password });
        var form = Target(password)!;
        Assert.StartsWith("/Account/LoginWith2fa", form, StringComparison.Ordinal);

        var wrong = await browser.PostFormAsync(form, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" });
        Assert.Contains("That code is not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode); // still signed out

        var right = await browser.PostFormAsync(form, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp() });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (user, _, codes) = await TwoFactorUserAsync();

        async Task<HttpResponseMessage> WithRecoveryCodeAsync(HttpClient browser, string code)
        {
            var password = await browser.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = AppFixture.Password });
            var form = "/Account/LoginWithRecoveryCode" + new Uri(new Uri("http://x"), Target(password)).Query;
            return await browser.PostFormAsync(form, "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = code });
        }

        var first = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await WithRecoveryCodeAsync(first, codes[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode);

        var again = await WithRecoveryCodeAsync(Browser(), codes[0]);
        Assert.Contains("That recovery code is not valid.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>ASVS 2.2.1: a wrong second factor on the web page counts towards the lockout like a wrong password; a locked account takes no right code either.</summary>
    [Fact]
    public async Task Five_wrong_authenticator_codes_on_the_web_page_lock_the_account_and_then_the_right_code_is_refused_too()
    {
        var (user, key, _) = await TwoFactorUserAsync();
        var browser = Browser();
        var form = await SecondStepAsync(browser, user, "/Account/LoginWith2fa");

        var answers = await AlertsAsync(browser, form, "login-with-2fa", "Input.TwoFactorCode", Enumerable.Repeat("000000", 5));

        var right = await browser.PostFormAsync(form, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp() });

        Assert.Equal([.. Enumerable.Repeat("That code is not valid. Check your authenticator app and try again.", 4), "Too many failed attempts. Sign-in is paused for 15 minutes."], answers);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Too many failed attempts. Sign-in is paused for 15 minutes.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertLockedForAboutAsync(user, TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Wrong_recovery_codes_count_towards_the_lockout_and_a_locked_account_takes_no_recovery_code()
    {
        var (user, _, codes) = await TwoFactorUserAsync();
        var browser = Browser();
        var form = await SecondStepAsync(browser, user, "/Account/LoginWithRecoveryCode");

        var answers = await AlertsAsync(browser, form, "login-with-recovery-code", "Input.RecoveryCode", Enumerable.Range(0, 5).Select(i => $"WRONG-{i}"));

        var right = await browser.PostFormAsync(form, "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = codes[0] });

        Assert.Equal([.. Enumerable.Repeat("That recovery code is not valid.", 4), "Too many failed attempts. Sign-in is paused for 15 minutes."], answers);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode); // not signed in
        await AssertLockedForAboutAsync(user, TimeSpan.FromMinutes(15));
    }

    /// <summary>The second step is limited like the password step: by the documented default, 10 attempts per account a minute.</summary>
    [Fact]
    public async Task The_code_pages_are_rate_limited_per_account_like_sign_in()
    {
        var (user, _, _) = await TwoFactorUserAsync();
        var browser = Browser();
        var form = await SecondStepAsync(browser, user, "/Account/LoginWith2fa");

        var answers = await AlertsAsync(browser, form, "login-with-2fa", "Input.TwoFactorCode", Enumerable.Repeat("000000", 11));

        // 4 wrong, the 5th locks; attempts 6–10 meet the lockout; the 11th meets the rate limit before any check.
        Assert.Equal("That code is not valid. Check your authenticator app and try again.", answers[0]);
        Assert.All(answers[4..10], a => Assert.Equal("Too many failed attempts. Sign-in is paused for 15 minutes.", a));
        Assert.Equal("Too many attempts. Please wait 1 minute and try again.", answers[10]);
    }

    /// <summary>Signs in with the password and returns the second step's form (authenticator or recovery code) with the query the first step gave.</summary>
    private static async Task<string> SecondStepAsync(HttpClient browser, CiertoUser user, string page)
    {
        var password = await browser.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = AppFixture.Password });
        var target = Target(password)!;
        Assert.StartsWith("/Account/LoginWith2fa", target, StringComparison.Ordinal);
        return page + new Uri(new Uri("http://x"), target).Query;
    }

    /// <summary>Posts each value to the form in turn and returns the error each answer shows.</summary>
    private static async Task<List<string>> AlertsAsync(HttpClient browser, string form, string formName, string field, IEnumerable<string> values)
    {
        var answers = new List<string>();
        foreach (var value in values)
        {
            var answer = await browser.PostFormAsync(form, formName, new Dictionary<string, string> { [field] = value });
            answers.Add(Alert().Match(await answer.Content.ReadAsStringAsync()).Groups[1].Value.Trim());
        }

        return answers;
    }

    private async Task AssertLockedForAboutAsync(CiertoUser user, TimeSpan lockout)
    {
        await using var db = app.Db();
        var stored = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Id == user.Id);
        Assert.NotNull(stored.LockoutEnd);
        Assert.InRange(stored.LockoutEnd!.Value - DateTimeOffset.UtcNow, lockout - TimeSpan.FromMinutes(1), lockout);
    }

    [GeneratedRegex("role=\"alert\".*?mud-alert-message\">([^<]+)<", RegexOptions.Singleline)]
    private static partial Regex Alert();

    /// <summary>Where a redirect goes, as a path (the server answers with absolute addresses).</summary>
    private static string? Target(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private async Task<(CiertoUser User, string Key, string[] RecoveryCodes)> TwoFactorUserAsync()
    {
        var (user, _) = await app.CreateUserAsync(Roles.CompanyAdmin, (await app.CreateCompanyAsync()).CompanyId);
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        var stored = (await users.FindByIdAsync(user.Id.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(stored);
        var key = (await users.GetAuthenticatorKeyAsync(stored))!;
        await users.SetTwoFactorEnabledAsync(stored, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(stored, 3))!.ToArray();
        return (user, key, codes);
    }

    [GeneratedRegex("name=\"Input.Code\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenCode();
}
