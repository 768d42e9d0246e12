using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>
/// Each failure says what went wrong, in an alert; successes are status messages. The old
/// prototype put both in one red box.
/// </summary>
public sealed class MessageTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task A_wrong_password_is_an_alert_that_names_the_problem() => await JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        await page.GotoAsync("Account/Login");
        await Field(page, "Email").FillAsync(BrowserHost.RootEmail);
        await Field(page, "Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Sign-in failed. Check your email and password." })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sign-in failed" })).ToHaveCountAsync(0);
        await ExpectAccessibleAsync(page);
    });

    [Fact]
    public async Task An_expired_invite_code_is_an_alert_and_the_form_keeps_what_was_typed() => await JourneyAsync(async () =>
    {
        var (_, support) = await Host.CreateUserAsync(Roles.Support);
        var identification = $"EXP{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var invite = await Host.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(identification, 1, null)));
        await using (var db = Host.Db())
        {
            await db.InviteCodes.Where(i => i.Id == invite.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var page = await OpenAsync();
        await page.GotoAsync("register-company");
        await Field(page, "Invite code").FillAsync(invite.Code);
        await Field(page, "Company name").FillAsync("Late Ltd");
        await Field(page, "Company identification number").FillAsync(identification);
        await Field(page, "Display name").FillAsync("Lena Late");
        await Field(page, "Email").FillAsync($"late-{Guid.NewGuid():N}@browser.cierto.test");
        await Field(page, "Password").FillAsync("Late-pass-2026!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register company" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Please correct the highlighted fields." })).ToBeVisibleAsync();
        await Expect(Field(page, "Invite code")).ToHaveAttributeAsync("aria-invalid", "true");
        await ExpectDescribedByAsync(page, Field(page, "Invite code"), "This invite code has expired.");
        await Expect(Field(page, "Company name")).ToHaveValueAsync("Late Ltd");
        await ExpectAccessibleAsync(page);
    });

    [Fact]
    public async Task A_wrong_code_and_an_item_in_use_are_alerts_on_the_activate_page_and_a_success_is_a_status() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Rotary hammer", "RH-2");
        var (colleagueEmail, colleague, _) = await UserAsync(Roles.Worker, companyId);
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);

        var page = await OpenAsync(Screen.Phone);
        await SignInAsync(page, workerEmail, AppFixture.Password);
        await GotoAsync(page, "activate");
        var code = Field(page, "Activation code");

        await code.FillAsync("ZZZZZZ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "That activation code does not match any item." })).ToBeVisibleAsync();
        await Expect(code).ToHaveAttributeAsync("aria-invalid", "true");
        await ExpectDescribedByAsync(page, code, "does not match any item");
        await ExpectAccessibleAsync(page);

        Assert.True((await Host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(colleague, item.ActivationCode))).Succeeded);
        await code.FillAsync(item.ActivationCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        var inUse = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Rotary hammer is already in use by someone else." });
        await Expect(inUse).ToBeVisibleAsync();
        await Expect(inUse).Not.ToContainTextAsync(colleagueEmail); // who holds it is the admin's business

        var held = await Host.RunAsync<UsageHistory, IReadOnlyList<HeldItem>>(s => s.HeldByMeAsync(colleague));
        await Host.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(colleague, held.Single().SessionId));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Rotary hammer." })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Rotary hammer" })).ToHaveCountAsync(0);
        await Expect(code).ToHaveAttributeAsync("aria-invalid", "false");
    });

    [Fact]
    public async Task A_form_sent_with_missing_fields_marks_each_one_invalid_and_describes_why() => await JourneyAsync(async () =>
    {
        var page = await OpenAsync(Screen.Phone);
        await page.GotoAsync("join");
        await Field(page, "Email").FillAsync("not-an-address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();

        var expected = new Dictionary<string, string>
        {
            ["Join code"] = "Join code is required.",
            ["Display name"] = "Display name is required.",
            ["Email"] = "Enter a valid email address",
            ["Password"] = "Password is required.",
        };
        foreach (var (label, message) in expected)
        {
            var field = Field(page, label);
            await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            await ExpectDescribedByAsync(page, field, message);
        }

        await Expect(Field(page, "Email")).ToHaveValueAsync("not-an-address");
        await ExpectAccessibleAsync(page);
    });

    /// <summary>The field's aria-describedby points at text on the page that contains <paramref name="text"/>.</summary>
    private static async Task ExpectDescribedByAsync(IPage page, ILocator field, string text)
    {
        var ids = await field.GetAttributeAsync("aria-describedby");
        Assert.False(string.IsNullOrWhiteSpace(ids), "The field has no aria-describedby.");
        var description = string.Empty;
        foreach (var id in ids!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            description += " " + await page.Locator($"[id='{id}']").InnerTextAsync();
        }

        Assert.False(string.IsNullOrWhiteSpace(description), $"aria-describedby=\"{ids}\" points at no text.");
        Assert.Contains(text, description, StringComparison.OrdinalIgnoreCase);
    }
}
