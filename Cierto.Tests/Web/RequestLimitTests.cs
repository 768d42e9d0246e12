using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
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

    private static readonly string[] Actions = ["SignIn", "ForgotPassword", "ResetPassword", "Join", "RegisterCompany", "Activation"];

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

    public static TheoryData<string, string, string> Forms => new()
    {
        { "/Account/Login", "login", "Input.Email" },
        { "/Account/ForgotPassword", "forgot-password", "Input.Email" },
        { "/Account/ResetPassword?code=bm90LWEtdG9rZW4", "reset-password", "Input.Email" },
        { "/join", "join", "Input.Email" },
        { "/register-company", "register-company", "Input.AdminEmail" },
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

    private static async Task<bool> IsLimitedAsync(HttpClient client, string path, string handler, string emailField, string email)
    {
        var response = await client.PostFormAsync(path, handler, Fields(emailField, email));
        return (await response.Content.ReadAsStringAsync()).Contains(LimitMessage, StringComparison.Ordinal);
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
    public async Task A_form_refuses_a_client_after_its_limit_with_a_clear_message(string path, string handler, string emailField)
    {
        var client = From(app.App, NewAddress());
        for (var attempt = 1; attempt <= PerClient; attempt++)
        {
            Assert.False(await IsLimitedAsync(client, path, handler, emailField, AppFixture.Email("x")), $"attempt {attempt} was limited");
        }

        Assert.True(await IsLimitedAsync(client, path, handler, emailField, AppFixture.Email("x")));
        Assert.False(await IsLimitedAsync(From(app.App, NewAddress()), path, handler, emailField, AppFixture.Email("x")));
    }

    [Fact]
    public async Task A_stranger_hammering_an_account_is_stopped_before_the_owner_is_locked_out()
    {
        var (victim, _) = await app.CreateUserAsync(Roles.Support);
        var stranger = From(app.App, NewAddress());
        for (var attempt = 0; attempt < PerAccount * 2; attempt++)
        {
            await stranger.PostFormAsync("/Account/Login", "login", Fields("Input.Email", victim.Email!));
        }

        Assert.True(await IsLimitedAsync(stranger, "/Account/Login", "login", "Input.Email", victim.Email!));
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
            Assert.False(await IsLimitedAsync(From(instance, NewAddress()), "/Account/ForgotPassword", "forgot-password", "Input.Email", email));
        }

        Assert.True(await IsLimitedAsync(From(other, NewAddress()), "/Account/ForgotPassword", "forgot-password", "Input.Email", email));
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
}
