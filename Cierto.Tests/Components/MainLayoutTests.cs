using Bunit;
using Cierto.Domain.Users;
using Cierto.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Cierto.Tests.Components;

public sealed class MainLayoutTests : ComponentTestBase
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        RenderInteractive<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"body\">page</p>"))));

    private static List<string> NavLinks(IRenderedComponent<MainLayout> layout) =>
        layout.FindAll("nav a, .mud-nav-link").Select(a => a.TextContent.Trim()).Where(t => t.Length > 0).Distinct().ToList();

    [Fact]
    public void Renders_app_bar_drawer_and_the_page()
    {
        AddAuthorization();
        var layout = RenderLayout();

        Assert.NotNull(layout.Find(".mud-appbar"));
        Assert.NotNull(layout.Find(".mud-drawer"));
        Assert.Equal("page", layout.Find("#body").TextContent);
        Assert.NotNull(layout.Find("button[aria-label='Toggle navigation']"));
    }

    [Fact]
    public void Anonymous_visitors_see_sign_in_register_and_join()
    {
        AddAuthorization();
        var links = NavLinks(RenderLayout());

        Assert.Contains("Sign in", links);
        Assert.Contains("Register a company", links);
        Assert.Contains("Join your company", links);
        Assert.DoesNotContain("Invite codes", links);
    }

    [Theory]
    [InlineData(Roles.Worker, new string[0], new[] { "Workers", "Invite codes", "Companies", "Staff" })]
    [InlineData(Roles.CompanyAdmin, new[] { "Workers" }, new[] { "Invite codes", "Staff" })]
    [InlineData(Roles.Support, new[] { "Invite codes", "Companies" }, new[] { "Workers", "Staff" })]
    [InlineData(Roles.Root, new[] { "Workers", "Invite codes", "Companies", "Staff" }, new string[0])]
    public void The_drawer_shows_links_by_role(string role, string[] shown, string[] hidden)
    {
        AddAuthorization().SetAuthorized("someone@cierto.test").SetRoles(role);
        var links = NavLinks(RenderLayout());

        Assert.Contains("Account", links);
        Assert.DoesNotContain("Sign in", links);
        Assert.All(shown, l => Assert.Contains(l, links));
        Assert.All(hidden, l => Assert.DoesNotContain(l, links));
    }

    [Fact]
    public void Signed_in_users_see_their_name_and_a_sign_out_button()
    {
        AddAuthorization().SetAuthorized("ada@demo.test").SetRoles(Roles.CompanyAdmin)
            .SetClaims(new System.Security.Claims.Claim(Cierto.Web.Infrastructure.Identity.CiertoClaims.DisplayName, "Ada Admin"));
        var layout = RenderLayout();

        Assert.Contains("Ada Admin", layout.Find(".mud-appbar").TextContent, StringComparison.Ordinal);
        Assert.NotNull(layout.Find("form[action='Account/Logout'] button[aria-label='Sign out']"));
    }

    [Fact]
    public void The_dark_mode_toggle_switches_and_remembers_the_choice()
    {
        AddAuthorization();
        var layout = RenderLayout();
        var toggle = () => layout.Find("button[aria-label^='Switch to']");
        var before = toggle().GetAttribute("aria-pressed");

        toggle().Click();

        Assert.NotEqual(before, toggle().GetAttribute("aria-pressed"));
        var stored = JSInterop.Invocations.Where(i => i.Identifier == "localStorage.setItem").ToList();
        Assert.Single(stored);
        Assert.Equal(before == "true" ? "light" : "dark", stored[0].Arguments[1]);
    }
}
