using System.Net;
using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Web;

/// <summary>
/// Signs in through the real login form (antiforgery, cookie) and opens each role's pages,
/// which the server prerenders: a page that throws, or shows another role's content, fails here.
/// </summary>
public sealed partial class PageAccessTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<HttpClient> SignInAsync(string email) => app.App.SignInAsync(email);

    [Fact]
    public async Task A_wrong_password_shows_the_same_error_as_an_unknown_address()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var client = app.App.CreateClient();

        async Task<string> AttemptAsync(string email)
        {
            var response = await client.PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "Wrong-password-1",
            });
            var html = await response.Content.ReadAsStringAsync();
            return Alert().Match(html).Groups[1].Value.Trim();
        }

        var known = await AttemptAsync(user.Email!);
        var unknown = await AttemptAsync(AppFixture.Email("nobody"));

        Assert.Contains("Sign-in failed", known, StringComparison.Ordinal);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task A_company_admin_sees_the_workers_page_with_the_join_code()
    {
        var (companyId, joinCode, _) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var client = await SignInAsync(adminUser.Email!);

        var html = await client.GetStringAsync(new Uri("/admin/workers", UriKind.Relative));

        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains(joinCode, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Access denied", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Support, "/support/invite-codes", "Issue a code")]
    [InlineData(Roles.Support, "/support/companies", "Create company")]
    [InlineData(Roles.Root, "/root/staff", "Add a Support user")]
    [InlineData(Roles.Root, "/support/invite-codes", "Issue a code")]
    [InlineData(Roles.Root, "/root/outbox", "Outbox")]
    [InlineData(Roles.Support, "/support/orders", "Orders")]
    [InlineData(Roles.Root, "/support/orders", "Orders")]
    public async Task Staff_pages_open_for_their_roles(string role, string path, string expected)
    {
        var (user, _) = await app.CreateUserAsync(role);
        var client = await SignInAsync(user.Email!);

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Contains(expected, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Worker, "/admin/workers")]
    [InlineData(Roles.Worker, "/support/invite-codes")]
    [InlineData(Roles.CompanyAdmin, "/support/invite-codes")]
    [InlineData(Roles.CompanyAdmin, "/root/staff")]
    [InlineData(Roles.Support, "/root/staff")]
    [InlineData(Roles.Support, "/root/outbox")]
    [InlineData(Roles.CompanyAdmin, "/root/outbox")]
    [InlineData(Roles.Support, "/admin/workers")]
    [InlineData(Roles.Worker, "/support/orders")]
    [InlineData(Roles.CompanyAdmin, "/support/orders")]
    public async Task Other_roles_are_denied(string role, string path)
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (user, _) = await app.CreateUserAsync(role, role is Roles.Worker or Roles.CompanyAdmin ? companyId : null);
        var client = await SignInAsync(user.Email!);

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var page = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("Access denied", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var client = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/admin/workers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.ToString().Replace("http://localhost", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_page_shows_field_errors_for_bad_input_and_creates_nothing()
    {
        var client = app.App.CreateClient();

        var response = await client.PostFormAsync("/join", "join", new Dictionary<string, string>
        {
            ["Input.JoinCode"] = "NOPE2345",
            ["Input.DisplayName"] = new string('x', 101),
            ["Input.Email"] = "not-an-email",
            ["Input.Password"] = "short",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("Display name must be at most 100 characters.", html, StringComparison.Ordinal);
        Assert.Contains("Enter a valid email address", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every page the app routes (read from its endpoints, so a new page is covered the day it
    /// lands), opened by every role: a refusal is a message or a redirect, never a server error.
    /// Route values are ids that exist nowhere, so pages for one item answer "not found".
    /// </summary>
    [Theory]
    [InlineData(Roles.Worker)]
    [InlineData(Roles.CompanyAdmin)]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Root)]
    public async Task Every_page_opens_for_every_role_without_a_server_error(string role)
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (user, _) = await app.CreateUserAsync(role, role is Roles.Worker or Roles.CompanyAdmin ? companyId : null);
        var client = await SignInAsync(user.Email!);
        var pages = app.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => p != "/Error") // the error page itself
            .Distinct()
            .ToList();
        Assert.Contains("/stock-takes", pages);

        var failures = new List<string>();
        foreach (var pattern in pages)
        {
            var path = RouteValue().Replace(pattern, m => m.Value.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "CI-1999-999999");
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || html.Contains("Something went wrong", StringComparison.Ordinal))
            {
                failures.Add($"{path}: {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, $"{role}: {string.Join(", ", failures)}");
    }

    [Fact]
    public async Task Root_opening_a_company_page_without_a_company_is_told_to_pick_one()
    {
        var (root, _) = await app.CreateUserAsync(Roles.Root);
        var client = await SignInAsync(root.Email!);

        var html = await client.GetStringAsync(new Uri("/stock-takes", UriKind.Relative));

        Assert.Contains("Open a company from Companies first.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_opens_a_companys_stock_takes_by_naming_the_company()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.AddItemAsync(companyId, "Rotary hammer", "RH-1");
        var started = await app.RunAsync<Cierto.Domain.StockTakes.StockTakeService, Guid>(s => s.StartAsync(admin, null, null));
        var (root, _) = await app.CreateUserAsync(Roles.Root);
        var client = await SignInAsync(root.Email!);

        var list = await client.GetStringAsync(new Uri($"/stock-takes?company={companyId}", UriKind.Relative));
        var one = await client.GetStringAsync(new Uri($"/stock-takes/{started}?company={companyId}", UriKind.Relative));

        Assert.Contains($"stock-takes/{started}?company={companyId}", list, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"missing-count\"", one, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex("role=\"alert\".*?mud-alert-message\">([^<]+)<", RegexOptions.Singleline)]
    private static partial Regex Alert();
}
