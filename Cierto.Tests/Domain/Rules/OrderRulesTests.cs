using Cierto.Domain.Billing;
using Cierto.Domain.Common;

namespace Cierto.Tests.Domain.Rules;

/// <summary>The order's own rules, without a database: what placing stores, who may reach it, and which status allows what.</summary>
public sealed class OrderRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    private static readonly Plan Team = new() { Id = "team", Name = "Team", Price = 49.90m, Currency = "eur" };

    private static readonly OrderDetails Buyer = new("DE123", "Acme GmbH", "Ann Buyer", "ann@example.com", "Street 1\n10115 Berlin", "DE999");

    private static Order Place(PaymentMethod method = PaymentMethod.BankTransfer) => Order.Place(42, Team, Buyer, method, Now).Order;

    [Fact]
    public void Placing_keeps_the_plan_price_the_buyer_and_only_the_hash_of_the_secret()
    {
        var (order, secret) = Order.Place(42, Team, Buyer, PaymentMethod.Card, Now, "ru");

        Assert.Equal(("CI-2026-000042", 42, "team", "Team", 4990L, "EUR"), (order.Reference, order.Number, order.PlanId, order.PlanName, order.AmountMinor, order.Currency));
        Assert.Equal(("DE123", "Acme GmbH", "Ann Buyer", "ann@example.com", "Street 1\n10115 Berlin", "DE999"), (order.CompanyIdentificationNumber, order.CompanyName, order.ContactName, order.ContactEmail, order.BillingAddress, order.VatId));
        Assert.Equal((PaymentMethod.Card, OrderStatus.AwaitingPayment, Now, "ru", false), (order.PaymentMethod, order.Status, order.CreatedAt, order.Language, order.IsPaid));
        Assert.Equal(32, secret.Length);
        Assert.Equal(Codes.Hash(secret), order.SecretHash);
        Assert.NotEqual(secret, Order.Place(42, Team, Buyer, PaymentMethod.Card, Now).Secret);
    }

    [Theory]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    [InlineData("RU", "ru")]
    public void An_unsupported_language_is_kept_as_English(string asked, string kept) =>
        Assert.Equal(kept, Order.Place(1, Team, Buyer, PaymentMethod.Card, Now, asked).Order.Language);

    [Fact]
    public void The_reference_carries_the_year_of_placing_in_UTC_and_six_digits()
    {
        Assert.Equal("CI-2027-000007", Order.ReferenceFor(7, new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(1)).AddHours(1)));
        Assert.Equal("CI-2026-000007", Order.ReferenceFor(7, new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(1))));
        Assert.Equal("CI-2026-1234567", Order.ReferenceFor(1_234_567, Now));
    }

    [Fact]
    public void Only_the_secret_mailed_to_the_buyer_opens_the_order()
    {
        var (order, secret) = Order.Place(1, Team, Buyer, PaymentMethod.BankTransfer, Now);

        Assert.True(order.HasSecret(secret));
        Assert.False(order.HasSecret(secret[..^1]));
        Assert.True(order.HasSecret(secret.ToLowerInvariant()[..16] + "-" + secret[16..]), "typed as codes are: any case, dashes");
        Assert.False(order.HasSecret(Codes.Generate(32)));
        Assert.False(order.HasSecret(""));
        Assert.False(order.HasSecret(null));
    }

    [Fact]
    public void The_first_payment_counts_and_a_second_records_nothing()
    {
        var order = Place();
        var support = Guid.NewGuid();

        Assert.True(order.MarkPaid(Now, "bank_transfer", support));
        Assert.False(order.MarkPaid(Now.AddHours(1), "card", null));

        Assert.Equal((true, OrderStatus.Paid, (DateTimeOffset?)Now, "bank_transfer", (Guid?)support), (order.IsPaid, order.Status, order.PaidAt, order.PaidVia, order.PaidById));
    }

    [Fact]
    public void Issuing_the_code_links_it_and_a_resend_links_the_newest()
    {
        var order = Place();
        order.MarkPaid(Now, "card", null);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        order.CodeIssued(first);
        order.CodeIssued(second);

        Assert.Equal((OrderStatus.CodeIssued, (Guid?)second), (order.Status, order.InviteCodeId));
    }

    [Fact]
    public void A_card_checkout_starts_while_the_order_waits_and_again_after_one_ran_out()
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_1");
        Assert.True(order.ExpireCheckout("cs_1"));
        Assert.Equal(OrderStatus.Expired, order.Status);

        order.StartCheckout("cs_2");

        Assert.Equal((OrderStatus.AwaitingPayment, "cs_2"), (order.Status, order.StripeSessionId));
    }

    [Fact]
    public void Only_the_checkout_the_order_waits_for_can_expire_it()
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_new");

        Assert.False(order.ExpireCheckout("cs_old"));
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);

        order.MarkPaid(Now, "card", null);
        Assert.False(order.ExpireCheckout("cs_new"));
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void A_paid_order_starts_no_checkout_and_cannot_be_cancelled()
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_1");
        order.MarkPaid(Now, "card", null);

        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => order.StartCheckout("cs_2")).Code);
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => order.Cancel(Now, Guid.NewGuid())).Code);
        Assert.Equal((OrderStatus.Paid, "cs_1", (DateTimeOffset?)null), (order.Status, order.StripeSessionId, order.ClosedAt));
    }

    [Fact]
    public void Cancelling_closes_a_waiting_or_expired_order_once()
    {
        var support = Guid.NewGuid();
        var waiting = Place();
        var expired = Place(PaymentMethod.Card);
        expired.StartCheckout("cs_1");
        expired.ExpireCheckout("cs_1");

        waiting.Cancel(Now, support);
        expired.Cancel(Now, support);

        Assert.Equal((OrderStatus.Cancelled, (DateTimeOffset?)Now, (Guid?)support), (waiting.Status, waiting.ClosedAt, waiting.ClosedById));
        Assert.Equal(OrderStatus.Cancelled, expired.Status);
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => waiting.Cancel(Now, support)).Code);
    }

    [Fact]
    public void The_first_payment_intent_is_kept()
    {
        var order = Place(PaymentMethod.Card);

        order.RecordPaymentIntent(null);
        order.RecordPaymentIntent("pi_1");
        order.RecordPaymentIntent("pi_2");

        Assert.Equal("pi_1", order.StripePaymentIntentId);
    }

    [Fact]
    public void A_refund_closes_the_order_with_who_made_it()
    {
        var order = Place();
        order.MarkPaid(Now, "bank_transfer", null);

        order.Refunded(Now.AddDays(1), null);

        Assert.Equal((OrderStatus.Refunded, (DateTimeOffset?)Now.AddDays(1), (Guid?)null, true), (order.Status, order.ClosedAt, order.ClosedById, order.IsPaid));
    }

    [Fact]
    public void Line_breaks_are_stored_as_newlines_whatever_the_browser_sent() =>
        Assert.Equal(("a\nb\nc", null), (Order.NormalizeLineBreaks("a\r\nb\nc"), Order.NormalizeLineBreaks(null)));
}
