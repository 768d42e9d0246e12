using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>Root and Support at their desks: staff accounts and invite codes.</summary>
public sealed class StaffJourneyTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task Root_creates_a_support_user_who_then_issues_an_invite_code() => await JourneyAsync(async () =>
    {
        var root = await OpenAsync();
        await SignInAsync(root, BrowserHost.RootEmail, BrowserHost.RootPassword);
        await GotoAsync(root, "root/staff");
        await ExpectAccessibleAsync(root);

        var supportEmail = $"support-{Guid.NewGuid():N}@browser.cierto.test";
        const string supportPassword = "Support-pass-2026!";
        await Field(root, "Display name").FillAsync("Sam Support");
        await Field(root, "Email").FillAsync(supportEmail);
        await Field(root, "Password").FillAsync(supportPassword);
        await root.GetByRole(AriaRole.Button, new() { Name = "Add Support user" }).ClickAsync();
        await Expect(root.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sam Support can now sign in as Support." })).ToBeVisibleAsync();
        await Expect(root.GetByRole(AriaRole.Row).Filter(new() { HasText = supportEmail })).ToBeVisibleAsync();

        var support = await OpenAsync();
        await SignInAsync(support, supportEmail, supportPassword);
        await GotoAsync(support, "support/invite-codes");
        await ExpectAccessibleAsync(support);
        var identification = $"BR{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        await Field(support, "Company identification number").FillAsync(identification);
        await support.GetByRole(AriaRole.Button, new() { Name = "Issue code" }).ClickAsync();

        var issued = support.GetByTestId("issued-code");
        await Expect(issued).ToBeVisibleAsync();
        Assert.Matches("^[A-Z0-9-]{6,}$", (await issued.InnerTextAsync()).Trim());
        await Expect(support.GetByRole(AriaRole.Status).Filter(new() { Has = issued })).ToBeVisibleAsync();
        await Expect(support.GetByRole(AriaRole.Row).Filter(new() { HasText = identification })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(support);
    });
}
