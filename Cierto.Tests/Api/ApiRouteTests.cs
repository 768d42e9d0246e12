using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>
/// Route by route: no token is 401, a worker on an admin route is 403, and another company's id
/// answers exactly like an id that does not exist. Then the answers the other tests leave out.
/// </summary>
public sealed class ApiRouteTests(ApiRouteTests.ManyLoginsFixture app) : IClassFixture<ApiRouteTests.ManyLoginsFixture>
{
    /// <summary>Every test here signs in several users from one address; the login limit would stop them.</summary>
    public sealed class ManyLoginsFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Cierto:Limits:SignIn:PerClient"] = "10000", ["Cierto:Limits:SignIn:PerAccount"] = "10000" };
    }

    /// <summary>
    /// Every admin route that takes an id, with a body it accepts, and what it answers for the
    /// admin's own record: the free item, the held item's session, a pending (confirmed) worker.
    /// </summary>
    public static TheoryData<string, string, string?, int> AdminRoutesWithIds => new()
    {
        { "GET", "/api/v1/equipment/{item}", null, 200 },
        { "PUT", "/api/v1/equipment/{item}", """{"name":"Renamed"}""", 200 },
        { "DELETE", "/api/v1/equipment/{item}", null, 204 },
        { "POST", "/api/v1/equipment/{item}/activation-code", null, 200 },
        { "POST", "/api/v1/equipment/{item}/out-of-service", null, 200 },
        { "POST", "/api/v1/equipment/{item}/back-in-service", null, 200 },
        { "POST", "/api/v1/equipment/{item}/retire", null, 200 },
        { "POST", "/api/v1/usage/{session}/force-release", """{"reason":"Needed elsewhere"}""", 200 },
        { "POST", "/api/v1/workers/{worker}/approve", null, 204 },
        { "POST", "/api/v1/workers/{worker}/reject", null, 204 },
        { "POST", "/api/v1/workers/{worker}/disable", null, 409 }, // pending, not active: invalid_status
        { "POST", "/api/v1/workers/{worker}/enable", null, 409 }, // pending, not disabled: invalid_status
    };

    [Theory]
    [MemberData(nameof(AdminRoutesWithIds))]
    public async Task An_admin_route_refuses_no_token_and_workers_and_hides_other_companies(string method, string template, string? body, int ownStatus)
    {
        var ours = await SeedCompanyAsync();
        var theirs = await SeedCompanyAsync();
        var admin = await app.SignedInClientAsync(ours.AdminEmail);
        var worker = await app.SignedInClientAsync(ours.WorkerEmail);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.App.CreateClient().SendAsync(Request(method, ours.Path(template), body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.SendAsync(Request(method, ours.Path(template), body))).StatusCode);

        var foreign = await admin.SendAsync(Request(method, theirs.Path(template), body));
        var missing = await admin.SendAsync(Request(method, Missing.Path(template), body));
        await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await foreign.Content.ReadAsStringAsync());

        // The same route finds the admin's own record and does what it says (or names the rule that stops it).
        var own = await admin.SendAsync(Request(method, ours.Path(template), body));
        Assert.True((int)own.StatusCode == ownStatus, $"{method} {template} on the admin's own company answered {(int)own.StatusCode}: {await own.Content.ReadAsStringAsync()}");
        if (ownStatus == 409)
        {
            await AssertProblemAsync(own, HttpStatusCode.Conflict, "invalid_status");
        }
    }

    [Fact]
    public async Task Equipment_changes_answer_with_the_changed_item()
    {
        var ours = await SeedCompanyAsync();
        var admin = await app.SignedInClientAsync(ours.AdminEmail);
        var item = $"/api/v1/equipment/{ours.FreeItemId}";

        var renamed = await JsonAsync(await admin.PutAsJsonAsync(item, new { name = "Renamed drill", category = "Drills" }));
        Assert.Equal("Renamed drill", renamed.GetProperty("name").GetString());
        Assert.Equal("out_of_service", (await JsonAsync(await admin.PostAsync(new Uri($"{item}/out-of-service", UriKind.Relative), null))).GetProperty("status").GetString());
        Assert.Equal("available", (await JsonAsync(await admin.PostAsync(new Uri($"{item}/back-in-service", UriKind.Relative), null))).GetProperty("status").GetString());
        var regenerated = await JsonAsync(await admin.PostAsync(new Uri($"{item}/activation-code", UriKind.Relative), null));
        Assert.NotEqual(ours.FreeItemCode, regenerated.GetProperty("activationCode").GetString());

        await AssertProblemAsync(await admin.PutAsJsonAsync(item, new { name = "" }), HttpStatusCode.BadRequest, "validation");
        await AssertProblemAsync(await admin.DeleteAsync(new Uri($"/api/v1/equipment/{ours.HeldItemId}", UriKind.Relative)), HttpStatusCode.Conflict, "equipment_used");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri(item, UriKind.Relative))).StatusCode);
        await AssertProblemAsync(await admin.GetAsync(new Uri(item, UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Force_release_needs_a_reason_and_ends_the_session_once()
    {
        var ours = await SeedCompanyAsync();
        var admin = await app.SignedInClientAsync(ours.AdminEmail);
        var route = $"/api/v1/usage/{ours.SessionId}/force-release";

        var noReason = await admin.PostAsJsonAsync(route, new { reason = "  " });
        await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "validation");
        Assert.True((await JsonAsync(noReason)).GetProperty("errors").TryGetProperty("reason", out _));
        await AssertProblemAsync(await admin.PostAsJsonAsync(route, new { reason = new string('x', 1001) }), HttpStatusCode.BadRequest, "validation");

        Assert.Equal("released", (await JsonAsync(await admin.PostAsJsonAsync(route, new { reason = "Needed on site B" }))).GetProperty("status").GetString());
        Assert.Equal("already_ended", (await JsonAsync(await admin.PostAsJsonAsync(route, new { reason = "Again" }))).GetProperty("status").GetString());
        Assert.Empty((await JsonAsync(await admin.GetAsync(new Uri("/api/v1/usage/current", UriKind.Relative)))).EnumerateArray());
    }

    [Fact]
    public async Task Wrong_codes_are_throttled_with_retry_after()
    {
        var ours = await SeedCompanyAsync();
        var (newcomer, _) = await app.CreateUserAsync(Roles.Worker, ours.CompanyId);
        var worker = await app.SignedInClientAsync(newcomer.Email!);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await AssertProblemAsync(await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode = "ZZZZZZZ" }), HttpStatusCode.UnprocessableEntity, "invalid_activation_code");
        }

        var throttled = await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode = ours.FreeItemCode });
        await AssertProblemAsync(throttled, HttpStatusCode.TooManyRequests, "throttled");
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Register_and_join_answer_created_and_accepted_and_name_bad_fields()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var identification = AppFixture.Unique("API");
        var invite = await app.RunAsync<Cierto.Domain.Companies.InviteCodeService, Cierto.Domain.Companies.IssuedInviteCode>(s => s.IssueAsync(support, new(identification, 3, null)));
        var anonymous = app.App.CreateClient();

        var wrongNumber = await anonymous.PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = invite.Code, companyName = "Api Ltd", companyIdentificationNumber = "OTHER-1", adminEmail = AppFixture.Email("a"), adminPassword = AppFixture.Password, adminDisplayName = "A" });
        await AssertProblemAsync(wrongNumber, HttpStatusCode.BadRequest, "validation");

        var registered = await anonymous.PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = invite.Code, companyName = "Api Ltd", companyIdentificationNumber = identification, adminEmail = AppFixture.Email("a"), adminPassword = AppFixture.Password, adminDisplayName = "Ada Admin" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var joinCode = (await JsonAsync(registered)).GetProperty("joinCode").GetString();

        var reused = await anonymous.PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = invite.Code, companyName = "Api Two", companyIdentificationNumber = identification, adminEmail = AppFixture.Email("b"), adminPassword = AppFixture.Password, adminDisplayName = "B" });
        await AssertProblemAsync(reused, HttpStatusCode.BadRequest, "validation");

        var joined = await anonymous.PostAsJsonAsync("/api/v1/workers/join", new { joinCode, email = AppFixture.Email("j"), password = AppFixture.Password, displayName = "Jo" });
        Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        var badJoin = await anonymous.PostAsJsonAsync("/api/v1/workers/join", new { joinCode = "", email = "nope", password = "", displayName = new string('x', 300) });
        await AssertProblemAsync(badJoin, HttpStatusCode.BadRequest, "validation");
        var fields = (await JsonAsync(badJoin)).GetProperty("errors");
        foreach (var field in new[] { "joinCode", "email", "password", "displayName" })
        {
            Assert.True(fields.TryGetProperty(field, out _), $"no error for {field}");
        }
    }

    [Fact]
    public async Task Me_and_a_bad_refresh_token()
    {
        var ours = await SeedCompanyAsync();
        var worker = await app.SignedInClientAsync(ours.WorkerEmail);
        var me = await JsonAsync(await worker.GetAsync(new Uri("/api/v1/me", UriKind.Relative)));
        Assert.Equal(ours.WorkerEmail, me.GetProperty("email").GetString());
        Assert.Equal(ours.CompanyId, me.GetProperty("companyId").GetGuid());
        Assert.Equal("Worker", Assert.Single(me.GetProperty("roles").EnumerateArray()).GetString());

        // A member reads their own company; another company's answers like a missing one.
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync(new Uri($"/api/v1/companies/{ours.CompanyId}", UriKind.Relative))).StatusCode);
        var theirs = await SeedCompanyAsync();
        await AssertProblemAsync(await worker.GetAsync(new Uri($"/api/v1/companies/{theirs.CompanyId}", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");

        var refresh = await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.App.CreateClient().GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
    }

    private static readonly Seeded Missing = new(Guid.NewGuid(), string.Empty, string.Empty, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), string.Empty, Guid.NewGuid());

    private static HttpRequestMessage Request(string method, string path, string? body) =>
        new(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>A company with an admin, a worker holding one item, a free item and a pending worker.</summary>
    private async Task<Seeded> SeedCompanyAsync()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, adminActor) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (worker, workerActor) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (pending, _) = await app.CreateUserAsync(Roles.Worker, companyId, UserStatus.Pending);
        var free = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(adminActor, new EquipmentInput("Free drill", null, null, null)));
        var held = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(adminActor, new EquipmentInput("Held saw", null, null, null)));
        var session = (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(workerActor, held.ActivationCode))).SessionId!.Value;
        return new Seeded(companyId, admin.Email!, worker.Email!, pending.Id, session, free.Id, free.ActivationCode, held.Id);
    }

    private sealed record Seeded(Guid CompanyId, string AdminEmail, string WorkerEmail, Guid PendingWorkerId, Guid SessionId, Guid FreeItemId, string FreeItemCode, Guid HeldItemId)
    {
        public string Path(string template) => template
            .Replace("{item}", FreeItemId.ToString(), StringComparison.Ordinal)
            .Replace("{session}", SessionId.ToString(), StringComparison.Ordinal)
            .Replace("{worker}", PendingWorkerId.ToString(), StringComparison.Ordinal)
            .Replace("{company}", CompanyId.ToString(), StringComparison.Ordinal);
    }
}
