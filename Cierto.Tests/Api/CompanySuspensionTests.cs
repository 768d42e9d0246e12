using System.Net;
using System.Net.Http.Json;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>
/// Root suspends a company: its people's tokens stop working, the right password no longer signs
/// them in (the same answer as a wrong one), its join code leads nowhere; Support may not do it;
/// reactivating lets them back in.
/// </summary>
public sealed class CompanySuspensionTests(ApiRouteTests.ManyLoginsFixture app) : IClassFixture<ApiRouteTests.ManyLoginsFixture>
{
    [Fact]
    public async Task A_suspended_companys_people_are_signed_out_and_cannot_sign_in_until_it_is_reactivated()
    {
        var (companyId, joinCode, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (root, rootActor) = await app.CreateUserAsync(Roles.Root);
        var (other, _, _) = await app.CreateCompanyAsync();
        var (bystander, _) = await app.CreateUserAsync(Roles.Worker, other);
        var workerClient = await app.SignedInClientAsync(worker.Email!);
        var rootClient = await app.SignedInClientAsync(root.Email!);
        var stamp = worker.SecurityStamp;

        Assert.Equal(HttpStatusCode.NoContent, (await rootClient.PostAsync(new Uri($"/api/v1/companies/{companyId}/suspend", UriKind.Relative), null)).StatusCode);

        Assert.Equal(CompanyStatus.Suspended, (await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(rootActor, companyId))).Status);
        var members = await MembersAsync(companyId);
        Assert.NotEqual(stamp, members.Single(m => m.Id == worker.Id).SecurityStamp);
        Assert.Equal(HttpStatusCode.Unauthorized, (await workerClient.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode); // stamp changed: refused at once
        await AssertProblemAsync(await Login(worker.Email!), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Null(await app.RunAsync<CompanyService, string?>(s => s.FindNameByJoinCodeAsync(joinCode)));
        Assert.Equal(HttpStatusCode.OK, (await Login(bystander.Email!)).StatusCode); // another company is untouched
        Assert.Contains(await AuditActionsAsync(companyId), a => a == "company.suspended");

        Assert.Equal(HttpStatusCode.NoContent, (await rootClient.PostAsync(new Uri($"/api/v1/companies/{companyId}/suspend", UriKind.Relative), null)).StatusCode); // again: nothing changes
        Assert.Single(await AuditActionsAsync(companyId), a => a == "company.suspended");

        Assert.Equal(HttpStatusCode.NoContent, (await rootClient.PostAsync(new Uri($"/api/v1/companies/{companyId}/reactivate", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login(worker.Email!)).StatusCode);
        Assert.NotNull(await app.RunAsync<CompanyService, string?>(s => s.FindNameByJoinCodeAsync(joinCode)));
    }

    [Fact]
    public async Task Only_root_suspends_and_a_missing_company_is_not_found()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        var (root, _) = await app.CreateUserAsync(Roles.Root);

        await AssertProblemAsync(await (await app.SignedInClientAsync(support.Email!)).PostAsync(new Uri($"/api/v1/companies/{companyId}/suspend", UriKind.Relative), null), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await (await app.SignedInClientAsync(root.Email!)).PostAsync(new Uri($"/api/v1/companies/{Guid.NewGuid()}/suspend", UriKind.Relative), null), HttpStatusCode.NotFound, "not_found");
        await Assert.ThrowsAsync<Cierto.Domain.Common.ForbiddenException>(() => app.RunAsync<CompanyService>(s => s.SuspendAsync(admin, companyId)));
        Assert.Equal(CompanyStatus.Active, (await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin))).Status);
    }

    private Task<HttpResponseMessage> Login(string email) =>
        app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = AppFixture.Password });

    private async Task<List<CiertoUser>> MembersAsync(Guid companyId)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>().Users.AsNoTracking().Where(u => u.CompanyId == companyId).ToListAsync();
    }

    private async Task<List<string>> AuditActionsAsync(Guid companyId)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Cierto.Domain.Data.CiertoDbContext>().AuditEntries.AsNoTracking().Where(a => a.CompanyId == companyId).Select(a => a.Action).ToListAsync();
    }
}
