using System.Net;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Billing;

/// <summary>The buy form once the site's daily order budget is spent (here: none at all).</summary>
public sealed class OrderBudgetPageTests(OrderBudgetPageTests.NoOrdersFixture app) : IClassFixture<OrderBudgetPageTests.NoOrdersFixture>
{
    public sealed class NoOrdersFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Cierto:Billing:DailyOrderLimit"] = "0" };
    }

    [Fact]
    public async Task The_buy_form_says_no_more_orders_today_and_places_none()
    {
        var number = AppFixture.Unique("BUDGET").ToUpperInvariant();

        var answer = await app.App.CreateClient().PostFormAsync("/buy?plan=starter", "buy", new Dictionary<string, string>
        {
            ["Input.PlanId"] = "starter",
            ["Input.CompanyIdentificationNumber"] = number,
            ["Input.CompanyName"] = "Budget Scaffolding Ltd",
            ["Input.BillingAddress"] = "1 Yard Lane",
            ["Input.ContactName"] = "Bea Buyer",
            ["Input.ContactEmail"] = AppFixture.Email("budget"),
            ["Input.PaymentMethod"] = "bank_transfer",
        });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("We are taking no more orders today. Please try again tomorrow, or write to us.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.CompanyIdentificationNumber == number));
    }
}
