using System.Net;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Web;

/// <summary>
/// Root and Support without two-factor authentication set up reach nothing of Cierto but their
/// account pages: every staff page and every download sends them to set it up (the middleware)
/// and, past it, the route's own policy refuses them.
/// </summary>
public sealed class TwoFactorSetUpCoverageTests(TwoFactorRequirementTests.DefaultRulesFixture app) : IClassFixture<TwoFactorRequirementTests.DefaultRulesFixture>
{
    /// <summary>Every page and download a staff role may open, by route pattern, with the address to try; the last test keeps this list complete.</summary>
    public static readonly IReadOnlyDictionary<string, string> StaffRoutes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/admin/workers"] = "/admin/workers?company={company}",
        ["/dashboard"] = "/dashboard?company={company}",
        ["/equipment"] = "/equipment?company={company}",
        ["/equipment/labels"] = "/equipment/labels?company={company}",
        ["/equipment/{Id:guid}"] = "/equipment/{item}",
        ["/usage-history"] = "/usage-history?company={company}",
        ["/stock-takes"] = "/stock-takes?company={company}",
        ["/stock-takes/{Id:guid}"] = "/stock-takes/00000000-0000-0000-0000-000000000001",
        ["/support/companies"] = "/support/companies",
        ["/support/invite-codes"] = "/support/invite-codes",
        ["/support/orders"] = "/support/orders",
        ["/root/audit"] = "/root/audit",
        ["/root/load"] = "/root/load",
        ["/root/outbox"] = "/root/outbox",
        ["/root/staff"] = "/root/staff",
        ["/equipment/export.csv"] = "/equipment/export.csv?company={company}",
        ["/usage-history/export.csv"] = "/usage-history/export.csv?company={company}",
        ["/stock-takes/{id:guid}/report.csv"] = "/stock-takes/00000000-0000-0000-0000-000000000001/report.csv?company={company}",
        ["/root/audit/export.csv"] = "/root/audit/export.csv",
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var role in new[] { Roles.Support, Roles.Root })
        {
            foreach (var route in StaffRoutes.Keys)
            {
                cases.Add(role, route);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Staff_without_two_factor_are_sent_to_set_it_up_from_every_staff_page_and_download(string role, string route)
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Drill");
        var (user, _) = await app.CreateUserAsync(role);
        var browser = await app.App.SignInAsync(user.Email!);
        var path = StaffRoutes[route].Replace("{company}", companyId.ToString(), StringComparison.Ordinal).Replace("{item}", item.Id.ToString(), StringComparison.Ordinal);

        var response = await browser.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Manage/EnableAuthenticator?required=true", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_static_asset_is_served_to_staff_without_two_factor_and_a_dotted_page_address_is_not()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var browser = await app.App.SignInAsync(user.Email!);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/favicon.svg", UriKind.Relative))).StatusCode);
        var dotted = await browser.GetAsync(new Uri("/support/companies.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dotted.StatusCode);
        Assert.Equal("/Account/Manage/EnableAuthenticator?required=true", dotted.Headers.Location?.OriginalString);
    }

    /// <summary>A new staff page or download fails here until it is in <see cref="StaffRoutes"/>, and until its policy asks for two-factor set-up.</summary>
    [Fact]
    public async Task The_theory_covers_every_staff_page_and_download_and_each_needs_two_factor_set_up()
    {
        var policies = app.App.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var staffRoutes = new Dictionary<string, AuthorizationPolicy>(StringComparer.Ordinal);
        foreach (var endpoint in app.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            if (pattern.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || pattern.StartsWith("/Account/", StringComparison.OrdinalIgnoreCase)
                || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { } methods && !methods.HttpMethods.Contains(HttpMethods.Get))
            {
                continue;
            }

            var policy = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            var roles = policy?.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToHashSet(StringComparer.Ordinal) ?? [];
            if (roles.Contains(Roles.Root) || roles.Contains(Roles.Support))
            {
                staffRoutes[pattern] = policy!;
            }
        }

        Assert.Equal(StaffRoutes.Keys.Order(StringComparer.Ordinal), staffRoutes.Keys.Order(StringComparer.Ordinal));
        Assert.All(staffRoutes, route => Assert.True(route.Value.Requirements.OfType<TwoFactorSetUpRequirement>().Any(), $"{route.Key}'s policy does not ask for two-factor set-up."));
    }
}
