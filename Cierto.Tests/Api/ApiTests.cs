using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>The REST API through the real app and PostgreSQL, with bearer tokens.</summary>
public sealed class ApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Login_answers_the_same_for_a_wrong_password_an_unknown_address_and_a_disabled_user()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (disabled, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<WorkerService>(s => s.DisableAsync(admin, disabled.Id));
        var client = app.App.CreateClient();

        var bodies = new List<string>();
        foreach (var (email, password) in new[] { (worker.Email!, "Wrong-password-1"), (AppFixture.Email("nobody"), AppFixture.Password), (disabled.Email!, AppFixture.Password) })
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Tokens_refresh_and_logout_ends_them()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = app.App.CreateClient();
        var first = await JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email = worker.Email, password = AppFixture.Password }));
        var phone = await JsonAsync(await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = worker.Email, password = AppFixture.Password, deviceName = "Second phone" }));

        var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newest = await JsonAsync(refreshed);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", newest.GetProperty("accessToken").GetString());

        var me = await JsonAsync(await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative)));
        Assert.Equal(worker.Email, me.GetProperty("email").GetString());
        Assert.Equal(companyId, me.GetProperty("companyId").GetGuid());
        Assert.Equal(["Worker"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null)).StatusCode);
        await AssertProblemAsync(await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative)), HttpStatusCode.Unauthorized, "invalid_credentials");

        // The newest refresh token of this device and the other device's token, never used, both end with the logout.
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = newest.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = phone.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await using var db = app.Db();
        var sessions = await db.ApiSessions.Where(s => s.UserId == worker.Id).ToListAsync();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s =>
        {
            Assert.NotNull(s.RevokedAt);
            Assert.Equal("logout", s.RevokedReason);
        });
    }

    [Fact]
    public async Task Access_tokens_live_30_minutes_and_refresh_tokens_14_days()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var tokens = await JsonAsync(await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = worker.Email, password = AppFixture.Password }));

        Assert.Equal(30 * 60, tokens.GetProperty("expiresIn").GetInt64());
        var bearer = app.App.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var ticket = bearer.BearerTokenProtector.Unprotect(tokens.GetProperty("accessToken").GetString());
        Assert.NotNull(ticket);
        Assert.Equal(TimeSpan.FromMinutes(30), ticket.Properties.ExpiresUtc - ticket.Properties.IssuedUtc);

        await using var db = app.Db();
        var session = await db.ApiSessions.SingleAsync(s => s.UserId == worker.Id);
        var refresh = await db.RefreshTokens.SingleAsync(t => t.SessionId == session.Id);
        Assert.Equal(TimeSpan.FromDays(14), refresh.ExpiresAt - refresh.CreatedAt);

        // Past its 14 days the token is refused and its session ends.
        await db.RefreshTokens.Where(t => t.Id == refresh.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await AssertProblemAsync(await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal("expired", await db.ApiSessions.Where(s => s.Id == session.Id).Select(s => s.RevokedReason).SingleAsync());
    }

    [Fact]
    public async Task The_whole_story_of_an_item_through_the_api()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (otherUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var admin = await app.SignedInClientAsync(adminUser.Email!);
        var worker = await app.SignedInClientAsync(workerUser.Email!);
        var other = await app.SignedInClientAsync(otherUser.Email!);

        var created = await admin.PostAsJsonAsync("/api/v1/equipment", new { name = "API drill", inventoryNumber = "API-1", category = "Power tools" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await JsonAsync(created);
        var code = item.GetProperty("activationCode").GetString()!;

        var free = await worker.GetStringAsync(new Uri("/api/v1/equipment", UriKind.Relative));
        Assert.Contains("API drill", free, StringComparison.Ordinal);
        Assert.DoesNotContain(code, free, StringComparison.Ordinal);
        Assert.DoesNotContain("activationCode", free, StringComparison.Ordinal);

        await AssertProblemAsync(await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode = "ZZZZZZZ" }), HttpStatusCode.UnprocessableEntity, "invalid_activation_code");
        var activated = await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode = code.ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.Created, activated.StatusCode);
        var session = (await JsonAsync(activated)).GetProperty("sessionId").GetGuid();
        await AssertProblemAsync(await other.PostAsJsonAsync("/api/v1/activations", new { activationCode = code }), HttpStatusCode.Conflict, "equipment_in_use");

        var current = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/usage/current", UriKind.Relative)));
        Assert.Equal(session, Assert.Single(current.EnumerateArray()).GetProperty("sessionId").GetGuid());

        await AssertProblemAsync(await other.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null)).StatusCode);
        var history = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/usage/history", UriKind.Relative)));
        Assert.Equal(1, history.GetProperty("total").GetInt32());
        Assert.Equal("worker", history.GetProperty("items")[0].GetProperty("endedBy").GetString());

        var retired = await admin.PostAsync(new Uri($"/api/v1/equipment/{item.GetProperty("id").GetGuid()}/retire", UriKind.Relative), null);
        Assert.Equal("retired", (await JsonAsync(retired)).GetProperty("status").GetString());
        await AssertProblemAsync(await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode = code }), HttpStatusCode.Conflict, "equipment_unavailable");
    }

    [Fact]
    public async Task No_token_wrong_role_foreign_ids_and_bad_bodies_get_their_own_answers()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var foreign = await app.RunAsync<Cierto.Domain.Equipment.EquipmentService, Cierto.Domain.Equipment.EquipmentRow>(s => s.CreateAsync(otherAdmin, new Cierto.Domain.Equipment.EquipmentInput("Theirs", null, null, null)));
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var admin = await app.SignedInClientAsync(adminUser.Email!);
        var worker = await app.SignedInClientAsync(workerUser.Email!);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.App.CreateClient().GetAsync(new Uri("/api/v1/usage/current", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(new Uri("/api/v1/usage/current", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/v1/activations", new { activationCode = "ABCDEFG" })).StatusCode);

        var foreignGet = await admin.GetAsync(new Uri($"/api/v1/equipment/{foreign.Id}", UriKind.Relative));
        var missingGet = await admin.GetAsync(new Uri($"/api/v1/equipment/{Guid.NewGuid()}", UriKind.Relative));
        await AssertProblemAsync(foreignGet, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(await missingGet.Content.ReadAsStringAsync(), await foreignGet.Content.ReadAsStringAsync());

        var malformed = await admin.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var wrongType = await admin.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), new StringContent("{\"name\": 42}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);

        var overlong = await admin.PostAsJsonAsync("/api/v1/equipment", new { name = new string('x', 201) });
        await AssertProblemAsync(overlong, HttpStatusCode.BadRequest, "validation");
        Assert.True((await JsonAsync(overlong)).GetProperty("errors").TryGetProperty("name", out _));
        await AssertProblemAsync(await admin.GetAsync(new Uri("/api/v1/equipment?pageSize=500", UriKind.Relative)), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes()
    {
        var document = await app.App.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        foreach (var route in new[] { "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/activations", "/api/v1/activations/{sessionId}/end", "/api/v1/activations/mine", "/api/v1/equipment", "/api/v1/equipment/{id}", "/api/v1/usage/current", "/api/v1/usage/history", "/api/v1/usage/{sessionId}/force-release", "/api/v1/invite-codes", "/api/v1/invite-codes/{id}", "/api/v1/companies", "/api/v1/companies/{id}", "/api/v1/companies/register", "/api/v1/workers/join", "/api/v1/workers", "/api/v1/workers/{id}/approve", "/api/v1/workers/{id}/reject", "/api/v1/workers/{id}/disable", "/api/v1/workers/{id}/enable", "/api/v1/equipment/{id}/activation-code", "/api/v1/equipment/{id}/out-of-service", "/api/v1/equipment/{id}/back-in-service", "/api/v1/equipment/{id}/retire", "/api/v1/bookings", "/api/v1/bookings/{id}", "/api/v1/equipment/{id}/availability" })
        {
            Assert.Contains($"\"{route}\"", document, StringComparison.Ordinal);
        }
    }
}
