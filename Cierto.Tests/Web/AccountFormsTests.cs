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
