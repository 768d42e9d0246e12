using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>
/// The problem codes the mobile app reacts to, each produced by the situation that means it (the
/// others — validation, not_found, invalid_credentials, throttled, two-factor… — have their own tests).
/// </summary>
public sealed class ProblemCodeTests(ApiRouteTests.ManyLoginsFixture app) : IClassFixture<ApiRouteTests.ManyLoginsFixture>
{
    [Fact]
    public async Task The_framework_answers_are_problems_with_codes_too()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var client = await app.SignedInClientAsync(admin.Email!);

        await AssertProblemAsync(await client.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), new StringContent("{\"name\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "bad_request");
        await AssertProblemAsync(await client.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), new StringContent("name=Drill", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertProblemAsync(await client.PatchAsync(new Uri("/api/v1/equipment", UriKind.Relative), null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await AssertProblemAsync(await client.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), new StringContent(new string('x', 300_000), Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_worker_on_an_admin_route_and_root_without_a_company_are_told_why()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (root, _) = await app.CreateUserAsync(Roles.Root);

        await AssertProblemAsync(await (await app.SignedInClientAsync(worker.Email!)).GetAsync(new Uri("/api/v1/workers", UriKind.Relative)), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await app.App.CreateClient().GetAsync(new Uri("/api/v1/workers", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblemAsync(await (await app.SignedInClientAsync(root.Email!)).GetAsync(new Uri("/api/v1/equipment", UriKind.Relative)), HttpStatusCode.UnprocessableEntity, "company_required");
    }

    [Fact]
    public async Task A_worker_at_the_companys_item_limit_gets_activation_limit()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetActiveItemCapAsync(admin, 1));
        var first = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("First", null, null, null)));
        var second = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Second", null, null, null)));
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = await app.SignedInClientAsync(worker.Email!);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/activations", new { activationCode = first.ActivationCode })).StatusCode);
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/activations", new { activationCode = second.ActivationCode }), HttpStatusCode.UnprocessableEntity, "activation_limit");
    }

    [Fact]
    public async Task Ending_a_session_twice_is_harmless_and_a_retired_item_is_refused_with_its_code()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Saw", null, null, null)));
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = await app.SignedInClientAsync(worker.Email!);
        var session = (await JsonAsync(await client.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode }))).GetProperty("sessionId").GetGuid();

        Assert.Equal("released", (await JsonAsync(await client.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null))).GetProperty("status").GetString());
        // A repeated end (a retry after a lost answer) is not an error: the session is already over.
        Assert.Equal("already_ended", (await JsonAsync(await client.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null))).GetProperty("status").GetString());

        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(admin, item.Id));
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode }), HttpStatusCode.Conflict, "equipment_unavailable");
    }

    [Fact]
    public async Task Promoting_an_admin_again_and_revoking_a_used_invite_code_are_conflicts()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (other, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        await AssertProblemAsync(await (await app.SignedInClientAsync(admin.Email!)).PostAsync(new Uri($"/api/v1/workers/{other.Id}/promote", UriKind.Relative), null), HttpStatusCode.Conflict, "already_admin");

        var (support, supportActor) = await app.CreateUserAsync(Roles.Support);
        var identification = AppFixture.Unique("PC").ToUpperInvariant();
        var invite = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(supportActor, new(identification, 3, null)));
        await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(new RegisterCompanyRequest(invite.Code, "Used Ltd", identification, AppFixture.Email("used"), AppFixture.Password, "Ulla Used")));
        var revoke = await (await app.SignedInClientAsync(support.Email!)).DeleteAsync(new Uri($"/api/v1/invite-codes/{invite.Id}", UriKind.Relative));
        await AssertProblemAsync(revoke, HttpStatusCode.UnprocessableEntity, "invite_code_redeemed");
        Assert.Equal("This invite code has already been used and cannot be revoked.", (await JsonAsync(revoke)).GetProperty("detail").GetString());
    }
}
