using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>A company buys its invite code on the site and pays by bank transfer; Support sees the money and the code arrives by mail.</summary>
public sealed class BuyingJourneyTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task A_company_buys_an_invite_code_by_bank_transfer_and_registers_with_the_mailed_code() => await JourneyAsync(async () =>
    {
        var identification = $"BUY{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var buyerEmail = $"buyer-{Guid.NewGuid():N}@browser.cierto.test";

        var buyer = await OpenAsync(Screen.Phone);
        await buyer.GotoAsync("");
        await buyer.GetByRole(AriaRole.Link, new() { Name = "Pricing" }).First.ClickAsync();
        await Expect(buyer.GetByRole(AriaRole.Heading, new() { Name = "Pricing", Level = 1 })).ToBeVisibleAsync();
        await Expect(buyer.GetByTestId("price-starter")).ToContainTextAsync("EUR 29.00");
        await ExpectAccessibleAsync(buyer);
        await buyer.GetByRole(AriaRole.Link, new() { Name = "Buy Starter" }).ClickAsync();

        await Expect(buyer.GetByTestId("order-summary")).ToContainTextAsync("EUR 29.00");
        await ExpectAccessibleAsync(buyer);
        await Field(buyer, "Company identification number").FillAsync(identification);
        await Field(buyer, "Company name").FillAsync("Bought Builders Ltd");
        await Field(buyer, "Billing address").FillAsync("2 Crane Street\n10115 Berlin");
        await Field(buyer, "Contact name").FillAsync("Bea Buyer");
        await Field(buyer, "Contact email").FillAsync(buyerEmail);
        await Expect(buyer.GetByLabel(new Regex("^Bank transfer"))).ToBeCheckedAsync(); // no card payments configured here
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await buyer.WaitForURLAsync(new Regex(@"/orders/CI-\d{4}-\d{6}\?key="));
        await WaitInteractiveAsync(buyer);
        var reference = Regex.Match(buyer.Url, @"CI-\d{4}-\d{6}").Value;
        await Expect(buyer.GetByTestId("order-status")).ToContainTextAsync("Awaiting payment");
        await Expect(buyer.GetByRole(AriaRole.Status).Filter(new() { HasText = "Order placed" })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(buyer);

        await buyer.GetByRole(AriaRole.Link, new() { Name = "Open the invoice" }).ClickAsync();
        await Expect(buyer.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {reference}" })).ToBeVisibleAsync();
        await Expect(buyer.GetByTestId("invoice-total")).ToHaveTextAsync("EUR 29.00");
        await Expect(buyer.GetByTestId("invoice-reference")).ToHaveTextAsync(reference);
        await ExpectAccessibleAsync(buyer);
        await buyer.GoBackAsync();
        await WaitInteractiveAsync(buyer);

        // Support sees the transfer arrive and marks the order paid.
        var (support, _) = await Host.CreateUserAsync(Roles.Support);
        var desk = await OpenAsync();
        await SignInAsync(desk, support.Email!, AppFixture.Password);
        await GotoAsync(desk, "support/orders");
        var row = desk.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        await Expect(row).ToContainTextAsync("awaiting payment");
        await ExpectAccessibleAsync(desk);
        await row.GetByRole(AriaRole.Button, new() { Name = $"Mark paid {reference}" }).ClickAsync();
        await desk.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Mark paid" }).ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{reference} is paid" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("paid, code sent");

        // The buyer's open order page follows by itself; the code is in the mail.
        await Expect(buyer.GetByTestId("order-status")).ToContainTextAsync("Paid, code sent", new() { Timeout = 20_000 });
        var link = await Host.MailedLinkAsync(buyerEmail, "register-company");
        Assert.Contains("code=", link, StringComparison.Ordinal);

        var admin = await OpenAsync();
        await admin.GotoAsync(link.TrimStart('/'));
        await Expect(Field(admin, "Invite code")).Not.ToBeEmptyAsync();
        await Field(admin, "Company name").FillAsync("Bought Builders Ltd");
        await Field(admin, "Company identification number").FillAsync(identification);
        await Field(admin, "Display name").FillAsync("Bea Buyer");
        await Field(admin, "Email").FillAsync(buyerEmail);
        await Field(admin, "Password").FillAsync("Buyer-pass-2026!");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register company" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/admin/workers"));
        await WaitInteractiveAsync(admin);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your company is registered" })).ToBeVisibleAsync();

        // The new admin signs in again from a fresh browser.
        var again = await OpenAsync();
        await SignInAsync(again, buyerEmail, "Buyer-pass-2026!");
        await GotoAsync(again, "admin/workers");
        await Expect(again.GetByRole(AriaRole.Heading, new() { Name = "Workers", Level = 1 })).ToBeVisibleAsync();
    });
}
