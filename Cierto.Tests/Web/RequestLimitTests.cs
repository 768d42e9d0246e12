using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Limits;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cierto.Tests.Web;

/// <summary>
/// Rate limits of the web forms and the API, through Redis: per client address first, then per
/// account, shared by every instance. Clients are told apart by X-Forwarded-For, as behind nginx.
/// </summary>
public sealed class RequestLimitTests(RequestLimitTests.SmallLimitsFixture app) : IClassFixture<RequestLimitTests.SmallLimitsFixture>
{
    private const int PerClient = 3;
    private const int PerAccount = 6;
    private const string LimitMessage = "Too many attempts";

    private static readonly string[] Actions = ["SignIn", "ForgotPassword", "ResetPassword", "Join", "RegisterCompany", "Activation", "Refresh"];

    public sealed class SmallLimitsFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings();

        public static Dictionary<string, string?> Settings() =>
            Actions.SelectMany(a => new[]
            {
                KeyValuePair.Create($"Cierto:Limits:{a}:PerClient", (string?)PerClient.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create($"Cierto:Limits:{a}:PerAccount", (string?)PerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }).Append(KeyValuePair.Create("Cierto:ForwardedHeaders", (string?)"true")).ToDictionary();
    }

    /// <summary>Each form, and what it answers an attempt that is not limited (its own answer to wrong or unknown details).</summary>
    public static TheoryData<string, string, string, HttpStatusCode, string> Forms => new()
    {
        { "/Account/Login", "login", "Input.Email", HttpStatusCode.OK, "Sign-in failed. Check your email and password." },
        { "/Account/ForgotPassword", "forgot-password", "Input.Email", HttpStatusCode.Redirect, "/Account/ForgotPasswordConfirmation" },
        { "/Account/ResetPassword?code=bm90LWEtdG9rZW4", "reset-password", "Input.Email", HttpStatusCode.OK, "This reset link is not valid for this address any more." },
        { "/join", "join", "Input.Email", HttpStatusCode.OK, "Thanks! Your request is in." },
        { "/register-company", "register-company", "Input.AdminEmail", HttpStatusCode.OK, "This invite code is not valid. Check it and try again." },
    };

    private static Dictionary<string, string> Fields(string emailField, string email) => new()
    {
        [emailField] = email,
        ["Input.Password"] = "Wrong-password-1",
        ["Input.ConfirmPassword"] = "Wrong-password-1",
        ["Input.Code"] = "not-a-token",
        ["Input.JoinCode"] = "NOSUCHCODE",
        ["Input.DisplayName"] = "Someone",
        ["Input.InviteCode"] = "NOSUCHINVITE",
        ["Input.CompanyName"] = "Acme",
        ["Input.CompanyIdentificationNumber"] = "12345678",
        ["Input.AdminDisplayName"] = "Someone",
        ["Input.AdminPassword"] = "Wrong-password-1",
    };

    private static HttpClient From(CiertoAppFactory instance, string address)
    {
        var client = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>An attempt that the limit lets through gets the form's own answer: not an error page, not the limit's message.</summary>
    private static async Task AssertPassesAsync(HttpResponseMessage response, HttpStatusCode status, string answer, string what)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{what} answered {(int)response.StatusCode}, expected {(int)status}: {html[..Math.Min(html.Length, 400)]}");
        var said = status == HttpStatusCode.Redirect ? response.Headers.Location?.OriginalString ?? string.Empty : html;
        Assert.True(said.Contains(answer, StringComparison.Ordinal), $"{what} did not answer \"{answer}\": {said[..Math.Min(said.Length, 400)]}");
        Assert.DoesNotContain(LimitMessage, html, StringComparison.Ordinal);
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response, string what)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what} answered {(int)response.StatusCode}");
        Assert.Contains("Too many attempts. Please wait", html, StringComparison.Ordinal);
    }

    private static int clients;

    /// <summary>A client address no other test of the class uses.</summary>
    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref clients);
        return $"198.51.{n / 250}.{(n % 250) + 1}";
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_form_refuses_a_client_after_its_limit_with_a_clear_message(string path, string handler, string emailField, HttpStatusCode status, string answer)
    {
        var client = From(app.App, NewAddress());
        for (var attempt = 1; attempt <= PerClient; attempt++)
        {
            await AssertPassesAsync(await client.PostFormAsync(path, handler, Fields(emailField, AppFixture.Email("x"))), status, answer, $"{path} attempt {attempt}");
        }

        await AssertLimitedAsync(await client.PostFormAsync(path, handler, Fields(emailField, AppFixture.Email("x"))), $"{path} attempt {PerClient + 1}");
        await AssertPassesAsync(await From(app.App, NewAddress()).PostFormAsync(path, handler, Fields(emailField, AppFixture.Email("x"))), status, answer, $"{path} from another address");
    }

    [Fact]
    public async Task A_stranger_hammering_an_account_is_stopped_before_the_owner_is_locked_out()
    {
        var (victim, _) = await app.CreateUserAsync(Roles.Support);
        var stranger = From(app.App, NewAddress());
        for (var attempt = 1; attempt <= PerAccount * 2; attempt++)
        {
            var response = await stranger.PostFormAsync("/Account/Login", "login", Fields("Input.Email", victim.Email!));
            if (attempt <= PerClient)
            {
                await AssertPassesAsync(response, HttpStatusCode.OK, "Sign-in failed. Check your email and password.", $"attempt {attempt}");
            }
            else
            {
                await AssertLimitedAsync(response, $"attempt {attempt}");
            }
        }

        var owner = From(app.App, NewAddress());
        var signIn = await owner.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = victim.Email!, ["Input.Password"] = AppFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task An_account_is_limited_across_addresses_and_instances()
    {
        await using var other = new CiertoAppFactory(app.Database, new Dictionary<string, string?>(SmallLimitsFixture.Settings()) { ["Cierto:Redis:Prefix"] = app.App.RedisPrefix });
        var email = AppFixture.Email("target");
        for (var attempt = 0; attempt < PerAccount; attempt++)
        {
            var instance = attempt % 2 == 0 ? app.App : other;
            await AssertPassesAsync(await From(instance, NewAddress()).PostFormAsync("/Account/ForgotPassword", "forgot-password", Fields("Input.Email", email)), HttpStatusCode.Redirect, "/Account/ForgotPasswordConfirmation", $"attempt {attempt + 1}");
        }

        await AssertLimitedAsync(await From(other, NewAddress()).PostFormAsync("/Account/ForgotPassword", "forgot-password", Fields("Input.Email", email)), $"attempt {PerAccount + 1}");
    }

    [Fact]
    public async Task The_api_answers_429_with_retry_after_once_a_client_has_spent_its_sign_ins()
    {
        var client = From(app.App, NewAddress());
        for (var attempt = 0; attempt < PerClient; attempt++)
        {
            await ApiCalls.AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email = AppFixture.Email("x"), password = "Wrong-password-1" }), HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = AppFixture.Email("x"), password = "Wrong-password-1" });
        await ApiCalls.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "throttled");
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task The_api_refuses_activations_past_the_client_limit_and_then_past_the_account_limit_with_retry_after()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Laser level", null, null, null)));
        var signIn = await From(app.App, NewAddress()).PostAsJsonAsync("/api/v1/auth/login", new { email = worker.Email, password = AppFixture.Password });
        var token = (await ApiCalls.JsonAsync(signIn)).GetProperty("accessToken").GetString();
        HttpClient Phone(string address)
        {
            var phone = From(app.App, address);
            phone.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return phone;
        }

        Task<HttpResponseMessage> ActivateAsync(HttpClient phone) => phone.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode });

        // One address: the first activation starts the session, the repeats answer it again, the next is refused.
        var site = Phone(NewAddress());
        Assert.Equal(HttpStatusCode.Created, (await ActivateAsync(site)).StatusCode);
        for (var attempt = 2; attempt <= PerClient; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ActivateAsync(site)).StatusCode);
        }

        await AssertLimitedAsync(await ActivateAsync(site));

        // Other addresses: the account's own limit (the refused attempt above did not count towards it).
        for (var attempt = PerClient + 1; attempt <= PerAccount; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ActivateAsync(Phone(NewAddress()))).StatusCode);
        }

        await AssertLimitedAsync(await ActivateAsync(Phone(NewAddress())));

        static async Task AssertLimitedAsync(HttpResponseMessage limited)
        {
            await ApiCalls.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "throttled");
            Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }
    }

    [Fact]
    public async Task The_api_refuses_refreshes_past_the_client_limit_and_then_past_the_token_limit_with_retry_after()
    {
        static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string token) => client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token });

        // One address guessing tokens: each is refused as unknown until the address's limit is spent.
        var guesser = From(app.App, NewAddress());
        for (var attempt = 1; attempt <= PerClient; attempt++)
        {
            await ApiCalls.AssertProblemAsync(await RefreshAsync(guesser, $"guess-{Guid.NewGuid():N}"), HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        await AssertThrottledAsync(await RefreshAsync(guesser, $"guess-{Guid.NewGuid():N}"));

        // One token from many addresses: the token's own limit.
        var token = $"stolen-{Guid.NewGuid():N}";
        for (var attempt = 1; attempt <= PerAccount; attempt++)
        {
            await ApiCalls.AssertProblemAsync(await RefreshAsync(From(app.App, NewAddress()), token), HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        await AssertThrottledAsync(await RefreshAsync(From(app.App, NewAddress()), token));

        static async Task AssertThrottledAsync(HttpResponseMessage limited)
        {
            await ApiCalls.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "throttled");
            Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }
    }

    /// <summary>The defaults README's Security table documents (per address / per account, window).</summary>
    public static TheoryData<LimitedAction, int, int, int> DocumentedDefaults => new()
    {
        { LimitedAction.SignIn, 60, 10, 1 },
        { LimitedAction.ForgotPassword, 10, 3, 15 },
        { LimitedAction.ResetPassword, 20, 5, 15 },
        { LimitedAction.Join, 30, 3, 15 },
        { LimitedAction.RegisterCompany, 10, 5, 15 },
        { LimitedAction.Activation, 600, 60, 1 },
        { LimitedAction.Refresh, 300, 30, 1 },
    };

    [Theory]
    [MemberData(nameof(DocumentedDefaults))]
    public void Without_settings_each_limit_is_its_documented_default(LimitedAction action, int perClient, int perAccount, int minutes)
    {
        var limits = new RequestLimits(new Cierto.Domain.Limits.InMemoryRateCounter(TimeProvider.System), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.Equal(new LimitRule(perClient, perAccount, TimeSpan.FromMinutes(minutes)), limits.RuleFor(action));
        var window = minutes == 1 ? "per minute" : $"per {minutes} min";
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "README.md"));
        Assert.Contains($"{ReadmeName(action)} {perClient} / {perAccount} {window}", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_settings_the_eleventh_sign_in_for_one_account_in_a_minute_is_refused()
    {
        await using var defaults = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:ForwardedHeaders"] = "true" });
        var email = AppFixture.Email("nobody");
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            await AssertPassesAsync(await From(defaults, NewAddress()).PostFormAsync("/Account/Login", "login", Fields("Input.Email", email)), HttpStatusCode.OK, "Sign-in failed. Check your email and password.", $"attempt {attempt}");
        }

        await AssertLimitedAsync(await From(defaults, NewAddress()).PostFormAsync("/Account/Login", "login", Fields("Input.Email", email)), "attempt 11");
    }

    private static string ReadmeName(LimitedAction action) => action switch
    {
        LimitedAction.SignIn => "sign-in",
        LimitedAction.ForgotPassword => "forgot password",
        LimitedAction.ResetPassword => "reset",
        LimitedAction.Join => "join",
        LimitedAction.RegisterCompany => "company registration",
        LimitedAction.Activation => "activation",
        LimitedAction.Refresh => "token refresh",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}
