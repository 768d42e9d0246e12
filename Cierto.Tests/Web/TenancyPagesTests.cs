using System.Net;
using System.Text.RegularExpressions;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>
/// An admin of one company asks the pages, the CSV exports and the API for another company's
/// records by id: every answer is exactly the answer for an id that does not exist, and nothing of
/// the other company (names, activation codes) is in it.
/// </summary>
public sealed partial class TenancyPagesTests(ApiRouteTests.ManyLoginsFixture app) : IClassFixture<ApiRouteTests.ManyLoginsFixture>
{
    /// <summary>Each address with {company}, {item} or {worker} standing for the other company's (or a made-up) id.</summary>
    public static TheoryData<string> Addresses => new()
    {
        "/equipment/{item}",
        "/equipment/labels?ids={item}",
        "/dashboard?company={company}",
        "/usage-history?company={company}",
        "/usage-history?equipment={item}",
        "/admin/workers?company={company}",
        "/equipment?company={company}",
        "/equipment/export.csv?company={company}",
        "/usage-history/export.csv?company={company}",
        "/usage-history/export.csv?equipment={item}",
        "/usage-history/export.csv?worker={worker}",
        "/api/v1/usage/history?equipmentId={item}",
        "/api/v1/usage/history?workerId={worker}",
        "/api/v1/equipment/{item}",
        "/api/v1/companies/{company}",
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Another_companys_id_answers_like_a_missing_one_and_shows_nothing_of_it(string address)
    {
        var ours = await SeedAsync("Ours");
        var theirs = await SeedAsync("Theirs");
        var missing = new Seeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), string.Empty, string.Empty, string.Empty);
        var admin = address.StartsWith("/api/", StringComparison.Ordinal)
            ? await app.SignedInClientAsync(ours.AdminEmail)
            : await app.App.SignInAsync(ours.AdminEmail);

        var (foreignStatus, foreignBody) = await GetAsync(admin, address, theirs);
        var (missingStatus, missingBody) = await GetAsync(admin, address, missing);

        Assert.Equal(missingStatus, foreignStatus);
        Assert.Equal(missingBody, foreignBody);
        Assert.DoesNotContain(theirs.ItemName, foreignBody, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ActivationCode, foreignBody, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.WorkerName, foreignBody, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.InternalServerError, foreignStatus);
    }

    [Fact]
    public async Task The_same_addresses_show_the_admins_own_records()
    {
        var ours = await SeedAsync("Ours");
        var admin = await app.App.SignInAsync(ours.AdminEmail);

        var (status, labels) = await GetAsync(admin, "/equipment/labels?ids={item}", ours);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(ours.ItemName, labels, StringComparison.Ordinal);
        var (_, history) = await GetAsync(admin, "/usage-history/export.csv?equipment={item}", ours);
        Assert.Contains(ours.WorkerName, history, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string template, Seeded ids)
    {
        var path = template.Replace("{company}", ids.CompanyId.ToString(), StringComparison.Ordinal)
            .Replace("{item}", ids.ItemId.ToString(), StringComparison.Ordinal)
            .Replace("{worker}", ids.WorkerId.ToString(), StringComparison.Ordinal);
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        // What differs between any two renders of a page: the ids asked for, tokens, component markers and element ids.
        foreach (var id in new[] { ids.CompanyId, ids.ItemId, ids.WorkerId })
        {
            body = body.Replace(id.ToString(), "{id}", StringComparison.OrdinalIgnoreCase);
        }

        body = Volatile().Replace(body, string.Empty);
        return (response.StatusCode, body);
    }

    private async Task<Seeded> SeedAsync(string label)
    {
        var (companyId, _, adminActor) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (worker, workerActor) = await app.CreateUserAsync(Roles.Worker, companyId);
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(adminActor, new EquipmentInput($"{label} secret drill {Guid.NewGuid():N}"[..30], null, null, null)));
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(workerActor, item.ActivationCode));
        return new Seeded(companyId, item.Id, worker.Id, admin.Email!, item.Name, item.ActivationCode) { WorkerName = worker.DisplayName };
    }

    private sealed record Seeded(Guid CompanyId, Guid ItemId, Guid WorkerId, string AdminEmail, string ItemName, string ActivationCode)
    {
        public string WorkerName { get; init; } = Guid.NewGuid().ToString();
    }

    [GeneratedRegex("<!--Blazor:[^>]*-->|name=\"__RequestVerificationToken\" value=\"[^\"]*\"|\"traceId\":\"[^\"]*\"|<code>[0-9A-Za-z:.-]+</code>|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}| (?:id|for|aria-controls|aria-describedby|aria-labelledby)=\"[^\"]*\"| nonce=\"[^\"]*\"|[A-Za-z0-9+/=_-]{40,}")]
    private static partial Regex Volatile();
}
