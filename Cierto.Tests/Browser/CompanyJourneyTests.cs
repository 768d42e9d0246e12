using System.Text.RegularExpressions;
using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>A company from its invite code to printed labels, and the labels' QR codes.</summary>
public sealed class CompanyJourneyTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task A_company_registers_with_its_invite_code_adds_three_items_and_prints_their_labels() => await JourneyAsync(async () =>
    {
        var identification = $"REG{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var invite = await IssueInviteAsync(identification);
        var adminEmail = $"owner-{Guid.NewGuid():N}@browser.cierto.test";

        var admin = await OpenAsync();
        await admin.GotoAsync("register-company");
        await ExpectAccessibleAsync(admin);
        await Field(admin, "Invite code").FillAsync(invite.Code);
        await Field(admin, "Company name").FillAsync("Browser Builders Ltd");
        await Field(admin, "Company identification number").FillAsync(identification);
        await Field(admin, "Display name").FillAsync("Olga Owner");
        await Field(admin, "Email").FillAsync(adminEmail);
        await Field(admin, "Password").FillAsync("Owner-pass-2026!");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register company" }).ClickAsync();

        await admin.WaitForURLAsync(new Regex("/admin/workers"));
        await WaitInteractiveAsync(admin);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your company is registered" })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("join-code")).Not.ToBeEmptyAsync();
        await ExpectAccessibleAsync(admin);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Equipment", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Equipment", Level = 1 })).ToBeVisibleAsync();
        string[] names = ["Hilti drill", "Laser level", "Scaffold tower"];
        for (var i = 0; i < names.Length; i++)
        {
            await admin.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
            var dialog = admin.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            if (i == 0)
            {
                await ExpectAccessibleAsync(admin);
            }

            await Field(admin, "Name").FillAsync(names[i]);
            await Field(admin, "Inventory number").FillAsync($"INV-{i + 1}");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{names[i]} was added" })).ToBeVisibleAsync();
            await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = names[i] })).ToBeVisibleAsync();
        }

        await ExpectAccessibleAsync(admin);
        foreach (var name in names)
        {
            await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = name }).GetByRole(AriaRole.Checkbox).CheckAsync();
        }

        await admin.GetByRole(AriaRole.Button, new() { Name = "Print labels (3)" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/equipment/labels\\?ids="), new() { WaitUntil = WaitUntilState.Commit }); // the sheet's QR images may hold up "load" on a busy machine; the checks below wait for what they need
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Labels" })).ToBeVisibleAsync();
        foreach (var name in names)
        {
            await Expect(admin.GetByRole(AriaRole.Img, new() { Name = $"QR code to activate {name}" })).ToBeVisibleAsync();
        }

        await Expect(admin.Locator(".label")).ToHaveCountAsync(3);
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeEnabledAsync();
        await ExpectAccessibleAsync(admin);
    });

    [Fact]
    public async Task The_QR_code_on_a_label_opens_the_activate_page_with_the_code_filled_in() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Core drill", "CD-1");
        var (workerEmail, _, _) = await UserAsync(Roles.Worker, companyId);

        var desk = await OpenAsync();
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await GotoAsync(desk, $"equipment/labels?ids={item.Id}");
        var link = await QrCodes.ReadAsync(desk.GetByRole(AriaRole.Img, new() { Name = "QR code to activate Core drill" }));
        Assert.StartsWith(Host.BaseUrl.ToString(), link, StringComparison.Ordinal);

        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, workerEmail, AppFixture.Password);
        await GotoAsync(phone, link);
        await Expect(Field(phone, "Activation code")).ToHaveValueAsync(item.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Core drill" })).ToBeVisibleAsync();
    });

    private async Task<IssuedInviteCode> IssueInviteAsync(string identification)
    {
        var (_, support) = await Host.CreateUserAsync(Roles.Support);
        return await Host.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(identification, 7, null)));
    }
}
