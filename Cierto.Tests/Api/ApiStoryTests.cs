using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;

using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

public sealed class ApiStoryTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_whole_story_through_the_api_alone()
    {
        var (supportUser, _) = await app.CreateUserAsync(Roles.Support);
        var support = await app.SignedInClientAsync(supportUser.Email!);
        var number = AppFixture.Unique("API");

        var issued = await support.PostAsJsonAsync("/api/v1/invite-codes", new { companyIdentificationNumber = number, expiresInDays = 7 });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var code = (await JsonAsync(issued)).GetProperty("code").GetString();

        var anonymous = app.App.CreateClient();
        var adminEmail = AppFixture.Email("apiadmin");
        var registered = await anonymous.PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = code, companyName = "API Builders", companyIdentificationNumber = number, adminEmail, adminPassword = AppFixture.Password, adminDisplayName = "Api Admin" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var joinCode = (await JsonAsync(registered)).GetProperty("joinCode").GetString();

        var admin = await app.SignedInClientAsync(adminEmail);
        var item = await JsonAsync(await admin.PostAsJsonAsync("/api/v1/equipment", new { name = "Story drill" }));
        var activationCode = item.GetProperty("activationCode").GetString();

        var workerEmail = AppFixture.Email("apiworker");
        var joined = await anonymous.PostAsJsonAsync("/api/v1/workers/join", new { joinCode, email = workerEmail, password = AppFixture.Password, displayName = "Api Worker" });
        Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        var known = await anonymous.PostAsJsonAsync("/api/v1/workers/join", new { joinCode, email = adminEmail, password = AppFixture.Password, displayName = "Impostor" });
        Assert.Equal(await joined.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());
        await app.DeliverOutboxAsync();
        var confirmed = await anonymous.GetStringAsync(new Uri(await app.MailedLinkAsync(workerEmail, "Account/ConfirmEmail"), UriKind.Relative));
        Assert.Contains("your email address is confirmed", confirmed, StringComparison.Ordinal);

        var pending = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/workers?status=pending", UriKind.Relative)));
        var workerId = Assert.Single(pending.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(new Uri($"/api/v1/workers/{workerId}/approve", UriKind.Relative), null)).StatusCode);

        var worker = await app.SignedInClientAsync(workerEmail);
        var activated = await JsonAsync(await worker.PostAsJsonAsync("/api/v1/activations", new { activationCode }));
        var session = activated.GetProperty("sessionId").GetGuid();
        var current = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/usage/current", UriKind.Relative)));
        Assert.Equal("Api Worker", Assert.Single(current.EnumerateArray()).GetProperty("workerName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync(new Uri($"/api/v1/activations/{session}/end", UriKind.Relative), null)).StatusCode);
        var mine = await JsonAsync(await worker.GetAsync(new Uri("/api/v1/activations/mine?active=false", UriKind.Relative)));
        Assert.Equal(session, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("sessionId").GetGuid());
        var history = await JsonAsync(await admin.GetAsync(new Uri($"/api/v1/usage/history?workerId={workerId}", UriKind.Relative)));
        Assert.Equal(1, history.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Staff_routes_refuse_company_admins_and_oversized_bodies_are_refused()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var admin = await app.SignedInClientAsync(adminUser.Email!);

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(new Uri("/api/v1/invite-codes", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(new Uri("/api/v1/companies", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri($"/api/v1/companies/{companyId}", UriKind.Relative))).StatusCode);

        var huge = new StringContent("{\"name\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json");
        var response = await admin.PostAsync(new Uri("/api/v1/equipment", UriKind.Relative), huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Workers_and_invite_codes_routes_answer_each_case()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (pending, _) = await app.CreateUserAsync(Roles.Worker, companyId, UserStatus.Pending);
        var (active, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (foreignWorker, _) = await app.CreateUserAsync(Roles.Worker, otherAdmin.CompanyId, UserStatus.Pending);
        var admin = await app.SignedInClientAsync(adminUser.Email!);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(new Uri($"/api/v1/workers/{pending.Id}/reject", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(new Uri($"/api/v1/workers/{pending.Id}/approve", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(new Uri($"/api/v1/workers/{active.Id}/disable", UriKind.Relative), null)).StatusCode);
        var again = await admin.PostAsync(new Uri($"/api/v1/workers/{active.Id}/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("invalid_status", (await JsonAsync(again)).GetProperty("code").GetString());
        var disabled = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/workers?status=disabled", UriKind.Relative)));
        Assert.Equal(active.Id, Assert.Single(disabled.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(new Uri($"/api/v1/workers/{active.Id}/enable", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(new Uri($"/api/v1/workers/{foreignWorker.Id}/approve", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(new Uri("/api/v1/workers?status=sleeping", UriKind.Relative))).StatusCode);

        var (supportUser, _) = await app.CreateUserAsync(Roles.Support);
        var support = await app.SignedInClientAsync(supportUser.Email!);
        var issued = await JsonAsync(await support.PostAsJsonAsync("/api/v1/invite-codes", new { companyIdentificationNumber = AppFixture.Unique("REV"), expiresInDays = 3 }));
        var id = issued.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync(new Uri($"/api/v1/invite-codes/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.DeleteAsync(new Uri($"/api/v1/invite-codes/{Guid.NewGuid()}", UriKind.Relative))).StatusCode);
        var invalid = await support.PostAsJsonAsync("/api/v1/invite-codes", new { companyIdentificationNumber = "", expiresInDays = 999 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await JsonAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("companyIdentificationNumber", out _));
        Assert.True(errors.TryGetProperty("expiresInDays", out _));
    }
}
