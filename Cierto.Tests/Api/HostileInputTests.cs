using System.Net;
using System.Text;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>
/// NUL, unpaired surrogates and 1 MB strings in every text parameter and field of the API and
/// in the main forms: each is refused with a clear 4xx, never a 500, and nothing is written.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.NoLimitsFixture app) : IClassFixture<HostileInputTests.NoLimitsFixture>
{
    public sealed class NoLimitsFixture : AppFixture
    {
        private static readonly string[] Limited = ["SignIn", "Join", "RegisterCompany", "ForgotPassword", "ResetPassword", "Refresh"];

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => Limited
            .SelectMany(a => new[] { KeyValuePair.Create($"Cierto:Limits:{a}:PerClient", (string?)"100000"), KeyValuePair.Create($"Cierto:Limits:{a}:PerAccount", (string?)"100000") })
            .ToDictionary();
    }

    /// <summary>Who calls, the route, and a valid body (null for GET) whose fields are replaced one by one.</summary>
    public static TheoryData<string, string, string, string?> BodyRoutes => new()
    {
        { "anonymous", "POST", "/api/v1/auth/login", """{"email":"a@b.test","password":"Str0ng-password!","twoFactorCode":"123456"}""" },
        { "anonymous", "POST", "/api/v1/auth/refresh", """{"refreshToken":"abc"}""" },
        { "anonymous", "POST", "/api/v1/companies/register", """{"inviteCode":"ABC","companyName":"Acme","companyIdentificationNumber":"123456","adminEmail":"a@b.test","adminPassword":"Str0ng-password!","adminDisplayName":"Ann"}""" },
        { "anonymous", "POST", "/api/v1/workers/join", """{"joinCode":"ABC","email":"a@b.test","password":"Str0ng-password!","displayName":"Ann"}""" },
        { "admin", "POST", "/api/v1/equipment", """{"name":"Drill","inventoryNumber":"D-1","category":"Tools","description":"Red"}""" },
        { "admin", "PUT", "/api/v1/equipment/{item}", """{"name":"Drill","inventoryNumber":"D-1","category":"Tools","description":"Red"}""" },
        { "admin", "POST", "/api/v1/usage/{session}/force-release", """{"reason":"Needed"}""" },
        { "support", "POST", "/api/v1/invite-codes", """{"companyIdentificationNumber":"123456","expiresInDays":7,"email":"a@b.test"}""" },
        { "worker", "POST", "/api/v1/activations", """{"activationCode":"ABCDEFG"}""" },
    };

    public static TheoryData<string, string> QueryRoutes => new()
    {
        { "admin", "/api/v1/equipment?search={x}" },
        { "admin", "/api/v1/equipment?status={x}" },
        { "admin", "/api/v1/workers?search={x}" },
        { "admin", "/api/v1/workers?status={x}" },
        { "worker", "/api/v1/equipment?search={x}" },
        { "support", "/api/v1/invite-codes?search={x}" },
        { "support", "/api/v1/companies?search={x}" },
    };

    private static readonly string[] BadJsonStrings = ["\\u0000", "a\\u0000b", "\\ud800", "x\\udc00y", "\\u001b[31m"];

    private async Task<(HttpClient Client, Guid Item, Guid Session)> ClientAsync(string who)
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = new EquipmentItem(companyId, "Hammer", null, null, null, DateTimeOffset.UtcNow);
        await using (var db = app.Db())
        {
            db.Equipment.Add(item);
            await db.SaveChangesAsync();
        }

        var role = who switch { "admin" => Roles.CompanyAdmin, "support" => Roles.Support, "worker" => Roles.Worker, _ => null };
        if (role is null)
        {
            return (app.App.CreateClient(), item.Id, Guid.NewGuid());
        }

        var (user, _) = await app.CreateUserAsync(role, role == Roles.Support ? null : companyId);
        return (await app.SignedInClientAsync(user.Email!), item.Id, Guid.NewGuid());
    }

    private static HttpRequestMessage Request(string method, string path, string? json) =>
        new(new HttpMethod(method), path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };

    private async Task<int> RowCountAsync()
    {
        await using var db = app.Db();
        return await db.Equipment.CountAsync() + await db.OutboxMessages.CountAsync() + await db.InviteCodes.CountAsync() + await db.UsageSessions.CountAsync();
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Every_body_field_refuses_control_characters_surrogates_and_huge_strings(string who, string method, string template, string? body)
    {
        var (client, item, session) = await ClientAsync(who);
        var path = template.Replace("{item}", item.ToString(), StringComparison.Ordinal).Replace("{session}", session.ToString(), StringComparison.Ordinal);
        var fields = System.Text.Json.JsonDocument.Parse(body!).RootElement.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String).Select(p => p.Name).ToList();
        var rows = await RowCountAsync();

        foreach (var field in fields)
        {
            foreach (var bad in BadJsonStrings)
            {
                var hostile = System.Text.RegularExpressions.Regex.Replace(body!, $"\"{field}\":\"[^\"]*\"", $"\"{field}\":\"{bad.Replace("\\", "\\\\", StringComparison.Ordinal)}\"").Replace("\\\\", "\\", StringComparison.Ordinal);
                var response = await client.SendAsync(Request(method, path, hostile));
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {template} with {field}={bad} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            var huge = System.Text.RegularExpressions.Regex.Replace(body!, $"\"{field}\":\"[^\"]*\"", $"\"{field}\":\"{new string('a', 1024 * 1024)}\"");
            await AssertProblemAsync(await client.SendAsync(Request(method, path, huge)), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        }

        Assert.Equal(rows, await RowCountAsync());
    }

    [Theory]
    [MemberData(nameof(QueryRoutes))]
    public async Task Every_text_parameter_refuses_control_characters_and_huge_strings(string who, string template)
    {
        var (client, _, _) = await ClientAsync(who);

        foreach (var bad in new[] { "%00", "a%00b", "%1B", "%7F" })
        {
            await AssertProblemAsync(await client.GetAsync(new Uri(template.Replace("{x}", bad, StringComparison.Ordinal), UriKind.Relative)), HttpStatusCode.BadRequest, "validation");
        }

        // A malformed UTF-8 sequence (a lone surrogate's bytes) is decoded as U+FFFD: harmless text, found nowhere.
        var surrogate = await client.GetAsync(new Uri(template.Replace("{x}", "%ED%A0%80", StringComparison.Ordinal), UriKind.Relative));
        Assert.True(surrogate.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{template} with a lone surrogate answered {(int)surrogate.StatusCode}");

        var huge = await client.GetAsync(new Uri(template.Replace("{x}", new string('a', 1024 * 1024), StringComparison.Ordinal), UriKind.Relative));
        Assert.True(huge.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest, $"{template} with 1 MB answered {(int)huge.StatusCode}");
    }

    public static TheoryData<string, string, string[]> Forms => new()
    {
        { "/Account/Login", "login", ["Input.Email", "Input.Password"] },
        { "/Account/ForgotPassword", "forgot-password", ["Input.Email"] },
        { "/Account/ResetPassword?code=bm90LWEtdG9rZW4", "reset-password", ["Input.Email", "Input.Password", "Input.ConfirmPassword", "Input.Code"] },
        { "/join", "join", ["Input.JoinCode", "Input.DisplayName", "Input.Email", "Input.Password"] },
        { "/register-company", "register-company", ["Input.InviteCode", "Input.CompanyName", "Input.CompanyIdentificationNumber", "Input.AdminDisplayName", "Input.AdminEmail", "Input.AdminPassword"] },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Every_form_field_refuses_nul_and_huge_values_without_an_error_page(string path, string handler, string[] fields)
    {
        var client = app.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var rows = await RowCountAsync();
        foreach (var field in fields)
        {
            var values = fields.ToDictionary(f => f, _ => "Valid-value-1@x.test");
            values[field] = "a\0b";
            var nul = await client.PostFormAsync(path, handler, values);
            Assert.True(nul.StatusCode == HttpStatusCode.BadRequest, $"{path} with NUL in {field} answered {(int)nul.StatusCode}");
            Assert.Contains("not allowed", await nul.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            values[field] = new string('a', 1024 * 1024);
            var huge = await client.PostFormAsync(path, handler, values);
            var html = await huge.Content.ReadAsStringAsync();
            Assert.True(huge.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{path} with 1 MB in {field} answered {(int)huge.StatusCode}");
            Assert.DoesNotContain("An error occurred", html, StringComparison.Ordinal);
        }

        Assert.Equal(rows, await RowCountAsync());
    }
}
