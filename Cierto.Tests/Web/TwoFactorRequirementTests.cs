using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using OtpNet;

namespace Cierto.Tests.Web;

/// <summary>Two-factor authentication required per role (Root and Support by default), and turning it off asks for the password.</summary>
public sealed partial class TwoFactorRequirementTests(TwoFactorRequirementTests.DefaultRulesFixture app) : IClassFixture<TwoFactorRequirementTests.DefaultRulesFixture>
{
    /// <summary>The shipped default, set back over the test factory's "nobody".</summary>
    public sealed class DefaultRulesFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Cierto:Security:TwoFactorRequiredRoles"] = "Root,Support" };
    }

    private static async Task<string> EnableTwoFactorAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync(new Uri("/Account/Manage/EnableAuthenticator", UriKind.Relative));
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
        var verified = await browser.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = code });
        Assert.Contains("Two-factor authentication is on", await verified.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return key;
    }

    [Fact]
    public async Task Support_without_two_factor_is_sent_to_set_it_up_and_gets_in_afterwards()
    {
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        var browser = await app.App.SignInAsync(support.Email!);

        var first = await browser.GetAsync(new Uri("/support/invite-codes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/Account/Manage/EnableAuthenticator?required=true", first.Headers.Location?.OriginalString);
        Assert.Contains("Your role requires two-factor authentication", await browser.GetStringAsync(first.Headers.Location), StringComparison.Ordinal);

        await EnableTwoFactorAsync(browser);

        var after = await browser.GetAsync(new Uri("/support/invite-codes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("Issue a code", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_refuses_a_token_to_support_without_two_factor()
    {
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        var login = await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = support.Email, password = AppFixture.Password });
        await ApiCalls.AssertProblemAsync(login, HttpStatusCode.Forbidden, "two_factor_setup_required");
    }

    [Fact]
    public async Task A_company_admin_is_not_forced_and_turning_two_factor_off_asks_for_the_password()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var browser = await app.App.SignInAsync(admin.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/equipment", UriKind.Relative))).StatusCode);
        await EnableTwoFactorAsync(browser);

        var wrong = await browser.PostFormAsync("/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string> { ["Input.Password"] = "Wrong-password-1" });
        Assert.Contains("That password is not correct", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Two-factor authentication is on", await browser.GetStringAsync(new Uri("/Account/Manage/TwoFactorAuthentication", UriKind.Relative)), StringComparison.Ordinal);

        var right = await browser.PostFormAsync("/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string> { ["Input.Password"] = AppFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.DoesNotContain("Two-factor authentication is on", await browser.GetStringAsync(new Uri("/Account/Manage/TwoFactorAuthentication", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Support_cannot_turn_required_two_factor_off()
    {
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        var browser = await app.App.SignInAsync(support.Email!);
        await EnableTwoFactorAsync(browser);

        var page = await browser.GetStringAsync(new Uri("/Account/Manage/Disable2fa", UriKind.Relative));

        Assert.Contains("cannot be turned off", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page, StringComparison.Ordinal); // no form to turn it off
        Assert.Contains("Two-factor authentication is on", await browser.GetStringAsync(new Uri("/Account/Manage/TwoFactorAuthentication", UriKind.Relative)), StringComparison.Ordinal);
    }

    [GeneratedRegex("data-testid=\"shared-key\">([^<]+)<")]
    private static partial Regex SharedKey();
}
