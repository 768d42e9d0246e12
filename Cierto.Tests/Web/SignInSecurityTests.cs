using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Cierto.Tests.Web;

/// <summary>
/// Sign-in through the web form and the API: unknown, locked and known accounts with a wrong
/// password take the same path (one password hash each, same answer); a wrong two-factor code
/// is a failed attempt that counts towards the lockout; reset links answer alike for every address.
/// </summary>
public sealed partial class SignInSecurityTests(SignInSecurityTests.HashCountingFixture app) : IClassFixture<SignInSecurityTests.HashCountingFixture>
{
    /// <summary>The real password hasher, with a count of how many hashes it has checked.</summary>
    public sealed class CountingPasswordHasher : IPasswordHasher<CiertoUser>
    {
        private readonly PasswordHasher<CiertoUser> inner = new();
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(CiertoUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(CiertoUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    public sealed class HashCountingFixture : AppFixture
    {
        public CountingPasswordHasher Hasher { get; } = new();

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:Limits:SignIn:PerClient"] = "10000",
            ["Cierto:Limits:SignIn:PerAccount"] = "10000",
        };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPasswordHasher<CiertoUser>>(Hasher);
    }

    private async Task<CiertoUser> LockedUserAsync()
    {
        var (user, _) = await app.CreateUserAsync(Roles.CompanyAdmin, (await app.CreateCompanyAsync()).CompanyId);
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        await users.SetLockoutEndDateAsync((await users.FindByIdAsync(user.Id.ToString()))!, DateTimeOffset.UtcNow.AddMinutes(15));
        return user;
    }

    /// <summary>What one attempt answered and how many password hashes it cost.</summary>
    private async Task<(string Answer, int Hashes)> MeasureAsync(Func<Task<string>> attempt)
    {
        var before = app.Hasher.Verifications;
        var answer = await attempt();
        return (answer, app.Hasher.Verifications - before);
    }

    private async Task<string> WebSignInAsync(string email)
    {
        var response = await app.App.CreateClient().PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Wrong-password-1",
        });
        return Alert().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value.Trim();
    }

    private async Task<string> ApiSignInAsync(string email)
    {
        var response = await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = "Wrong-password-1" });
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    [Fact]
    public async Task Web_sign_in_does_the_same_work_and_answers_alike_for_unknown_locked_and_wrong()
    {
        var (known, _) = await app.CreateUserAsync(Roles.Support);
        var locked = await LockedUserAsync();

        var unknown = await MeasureAsync(() => WebSignInAsync(AppFixture.Email("nobody")));
        var lockedOut = await MeasureAsync(() => WebSignInAsync(locked.Email!));
        var wrong = await MeasureAsync(() => WebSignInAsync(known.Email!));

        Assert.Contains("Sign-in failed", wrong.Answer, StringComparison.Ordinal);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, lockedOut);
        Assert.Equal(1, wrong.Hashes);
    }

    [Fact]
    public async Task Api_sign_in_does_the_same_work_and_answers_alike_for_unknown_locked_and_wrong()
    {
        var (known, _) = await app.CreateUserAsync(Roles.Support);
        var locked = await LockedUserAsync();

        var unknown = await MeasureAsync(() => ApiSignInAsync(AppFixture.Email("nobody")));
        var lockedOut = await MeasureAsync(() => ApiSignInAsync(locked.Email!));
        var wrong = await MeasureAsync(() => ApiSignInAsync(known.Email!));

        Assert.StartsWith("401 ", wrong.Answer, StringComparison.Ordinal);
        Assert.Contains("invalid_credentials", wrong.Answer, StringComparison.Ordinal);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, lockedOut);
        Assert.Equal(1, wrong.Hashes);
    }

    /// <summary>Five wrong passwords through the real form lock the account; then even the right one is answered like a wrong one.</summary>
    [Fact]
    public async Task Five_wrong_passwords_on_the_sign_in_form_lock_the_account_and_the_right_one_then_reads_as_wrong()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var (other, _) = await app.CreateUserAsync(Roles.Support);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Contains("Sign-in failed", await WebSignInAsync(user.Email!), StringComparison.Ordinal);
        }

        var wrongForOther = await WebSignInAsync(other.Email!);
        var rightButLocked = await app.App.CreateClient().PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = AppFixture.Password,
        });
        Assert.Equal(wrongForOther, Alert().Match(await rightButLocked.Content.ReadAsStringAsync()).Groups[1].Value.Trim());
        Assert.True(await IsLockedOutAsync(user.Id));
    }

    [Fact]
    public async Task Five_wrong_passwords_on_the_api_lock_the_account_and_the_right_one_then_reads_as_wrong()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var (other, _) = await app.CreateUserAsync(Roles.Support);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.StartsWith("401 ", await ApiSignInAsync(user.Email!), StringComparison.Ordinal);
        }

        var wrongForOther = await ApiSignInAsync(other.Email!);
        var rightButLocked = await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = AppFixture.Password });
        Assert.Equal(wrongForOther, $"{(int)rightButLocked.StatusCode} {await rightButLocked.Content.ReadAsStringAsync()}");
        Assert.True(await IsLockedOutAsync(user.Id));
    }

    private async Task<bool> IsLockedOutAsync(Guid userId)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        return await users.IsLockedOutAsync((await users.FindByIdAsync(userId.ToString()))!);
    }

    [Fact]
    public async Task Wrong_two_factor_codes_on_the_api_lock_the_account_like_wrong_passwords()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        string key;
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
            var stored = (await users.FindByIdAsync(user.Id.ToString()))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            key = (await users.GetAuthenticatorKeyAsync(stored))!;
            await users.SetTwoFactorEnabledAsync(stored, true);
        }

        var client = app.App.CreateClient();
        Task<HttpResponseMessage> LoginAsync(string? code) =>
            client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = AppFixture.Password, twoFactorCode = code });

        await ApiCalls.AssertProblemAsync(await LoginAsync(null), HttpStatusCode.Unauthorized, "two_factor_required");
        for (var attempt = 1; attempt < 5; attempt++)
        {
            await ApiCalls.AssertProblemAsync(await LoginAsync("000000"), HttpStatusCode.Unauthorized, "invalid_two_factor_code");
        }

        // The fifth wrong code locks the account: even the right code is refused now, like a wrong password.
        await ApiCalls.AssertProblemAsync(await LoginAsync("000000"), HttpStatusCode.Unauthorized, "invalid_credentials");
        var rightCode = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
        await ApiCalls.AssertProblemAsync(await LoginAsync(rightCode), HttpStatusCode.Unauthorized, "invalid_credentials");
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id.ToString()))!));
        }
    }

    [Fact]
    public async Task A_reset_link_answers_alike_for_an_unknown_address_and_a_known_one_with_a_wrong_code()
    {
        var (known, _) = await app.CreateUserAsync(Roles.Support);
        async Task<(HttpStatusCode Status, string Alert)> ResetAsync(string email)
        {
            var client = app.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var code = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("not-a-real-token"u8.ToArray());
            var response = await client.PostFormAsync($"/Account/ResetPassword?code={code}", "reset-password", new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "N3w-password!x",
                ["Input.ConfirmPassword"] = "N3w-password!x",
                ["Input.Code"] = "not-a-real-token",
            });
            return (response.StatusCode, Alert().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value.Trim());
        }

        var forKnown = await ResetAsync(known.Email!);
        var forUnknown = await ResetAsync(AppFixture.Email("nobody"));

        Assert.Equal(HttpStatusCode.OK, forKnown.Status);
        Assert.Contains("not valid", forKnown.Alert, StringComparison.Ordinal);
        Assert.Equal(forKnown, forUnknown);
    }

    [GeneratedRegex("role=\"alert\".*?mud-alert-message\">([^<]+)<", RegexOptions.Singleline)]
    private static partial Regex Alert();
}
