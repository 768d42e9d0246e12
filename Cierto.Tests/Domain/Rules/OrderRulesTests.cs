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

    private static CardPayment PaidSession(Order order, string? session = null) => new(session ?? order.StripeSessionId!, order.AmountMinor, order.Currency.ToLowerInvariant(), "paid", "pi_1");

    /// <summary>An order brought to <paramref name="status"/> the way it gets there.</summary>
    private static Order InStatus(OrderStatus status, PaymentMethod method = PaymentMethod.Card)
    {
        var order = Place(method);
        if (method == PaymentMethod.Card)
        {
            order.StartCheckout("cs_1");
        }

        void Pay()
        {
            if (method == PaymentMethod.Card)
            {
                Assert.Equal(CardPaymentOutcome.Paid, order.PayByCard(PaidSession(order), Now));
            }
            else
            {
                Assert.True(order.MarkPaidByTransfer(Now, Guid.NewGuid()));
            }
        }

        switch (status)
        {
            case OrderStatus.AwaitingPayment:
                break;
            case OrderStatus.Expired:
                Assert.True(order.ExpireCheckout("cs_1"));
                break;
            case OrderStatus.Cancelled:
                order.Cancel(Now, Guid.NewGuid());
                break;
            case OrderStatus.Paid:
                Pay();
                break;
            case OrderStatus.CodeIssued:
                Pay();
                order.CodeIssued(Guid.NewGuid());
                break;
            case OrderStatus.PaidAfterCancel:
                order.Cancel(Now, Guid.NewGuid());
                Assert.Equal(CardPaymentOutcome.PaidAfterCancel, order.PayByCard(PaidSession(order), Now));
                break;
            case OrderStatus.RefundPending:
                Pay();
                order.BeginRefund(Now, Guid.NewGuid());
                break;
            case OrderStatus.Refunded:
                Pay();
                order.Refund(Now, Guid.NewGuid());
                break;
        }

        Assert.Equal(status, order.Status);
        return order;
    }

    public static TheoryData<OrderStatus> Statuses() => [.. Enum.GetValues<OrderStatus>()];

    /// <summary>What the order tells the pages it allows is exactly what its methods then do: no second copy of the rules.</summary>
    [Theory]
    [MemberData(nameof(Statuses))]
    public void Every_status_change_is_allowed_exactly_where_the_order_says_it_is(OrderStatus status)
    {
        static bool Refuses(Action change)
        {
            try
            {
                change();
                return false;
            }
            catch (DomainException ex) when (ex.Code == "invalid_status")
            {
                return true;
            }
        }

        Assert.Equal(InStatus(status).CanCancel, !Refuses(() => InStatus(status).Cancel(Now, Guid.NewGuid())));
        Assert.Equal(InStatus(status).CanStartCheckout, !Refuses(() => InStatus(status).StartCheckout("cs_2")));
        Assert.Equal(InStatus(status).CanRefund(codeRedeemed: false) || status == OrderStatus.Refunded, !Refuses(() => InStatus(status).Refund(Now, Guid.NewGuid()))); // a confirmed refund confirmed again changes nothing
        Assert.Equal(InStatus(status).CanRefund(codeRedeemed: false), !Refuses(() => InStatus(status).BeginRefund(Now, Guid.NewGuid())));
        Assert.Equal(status is OrderStatus.Paid or OrderStatus.CodeIssued, !Refuses(() => InStatus(status).CodeIssued(Guid.NewGuid())));
        var transfer = InStatus(status, status is OrderStatus.Expired or OrderStatus.PaidAfterCancel or OrderStatus.RefundPending ? PaymentMethod.Card : PaymentMethod.BankTransfer);
        Assert.Equal(transfer.CanMarkPaid || transfer.Status is OrderStatus.Paid or OrderStatus.CodeIssued or OrderStatus.PaidAfterCancel, !Refuses(() => transfer.MarkPaidByTransfer(Now, Guid.NewGuid())));
    }

    [Fact]
    public void The_first_payment_counts_and_a_second_records_nothing()
    {
        var order = Place();
        var support = Guid.NewGuid();

        Assert.True(order.MarkPaidByTransfer(Now, support));
        Assert.False(order.MarkPaidByTransfer(Now.AddHours(1), Guid.NewGuid()));

        Assert.Equal((true, OrderStatus.Paid, (DateTimeOffset?)Now, (PaymentMethod?)PaymentMethod.BankTransfer, (Guid?)support), (order.IsPaid, order.Status, order.PaidAt, order.PaidVia, order.PaidById));
    }

    public static TheoryData<string, CardPaymentOutcome> Mismatches() => new()
    {
        { "another session", CardPaymentOutcome.NotCurrentCheckout },
        { "one euro", CardPaymentOutcome.WrongAmount },
        { "no amount", CardPaymentOutcome.WrongAmount },
        { "dollars", CardPaymentOutcome.WrongCurrency },
        { "no payment required", CardPaymentOutcome.NotPaid },
        { "unpaid", CardPaymentOutcome.NotPaid },
    };

    /// <summary>A Payment Link or a second integration on the same Stripe account may name any reference: only the order's own checkout, in full, pays it.</summary>
    [Theory]
    [MemberData(nameof(Mismatches))]
    public void A_card_payment_pays_only_the_orders_current_checkout_for_its_exact_amount_and_currency(string what, CardPaymentOutcome expected)
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_1");
        var right = PaidSession(order);
        var wrong = what switch
        {
            "another session" => right with { SessionId = "cs_payment_link" },
            "one euro" => right with { AmountMinor = 100 },
            "no amount" => right with { AmountMinor = null },
            "dollars" => right with { Currency = "usd" },
            "no payment required" => right with { PaymentStatus = "no_payment_required" },
            _ => right with { PaymentStatus = "unpaid" },
        };

        Assert.Equal(expected, order.PayByCard(wrong, Now));
        Assert.Equal((OrderStatus.AwaitingPayment, (DateTimeOffset?)null, (PaymentMethod?)null, (string?)null), (order.Status, order.PaidAt, order.PaidVia, order.StripePaymentIntentId));

        Assert.Equal(CardPaymentOutcome.Paid, order.PayByCard(right, Now));
        Assert.Equal((OrderStatus.Paid, (PaymentMethod?)PaymentMethod.Card, "pi_1"), (order.Status, order.PaidVia, order.StripePaymentIntentId));
        Assert.Equal(CardPaymentOutcome.AlreadyPaid, order.PayByCard(right, Now.AddMinutes(1)));
        Assert.Equal((DateTimeOffset?)Now, order.PaidAt);
    }

    [Fact]
    public void A_bank_transfer_order_is_never_paid_by_a_card_session()
    {
        var order = Place(PaymentMethod.BankTransfer);

        Assert.Equal(CardPaymentOutcome.NotCardOrder, order.PayByCard(new CardPayment("cs_1", order.AmountMinor, order.Currency, "paid", "pi_1"), Now));
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
    }

    [Theory]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Expired)]
    public void A_payment_after_the_order_was_cancelled_or_ran_out_is_kept_to_refund_and_issues_no_code(OrderStatus closed)
    {
        var order = InStatus(closed);

        Assert.Equal(CardPaymentOutcome.PaidAfterCancel, order.PayByCard(PaidSession(order), Now));

        Assert.Equal((OrderStatus.PaidAfterCancel, true, true, false), (order.Status, order.IsPaid, order.CanRefund(codeRedeemed: false), order.CanResendCode(codeRedeemed: false)));
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => order.CodeIssued(Guid.NewGuid())).Code);
    }

    [Fact]
    public void Issuing_the_code_links_it_and_a_resend_links_the_newest()
    {
        var order = InStatus(OrderStatus.Paid);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        order.CodeIssued(first);
        order.CodeIssued(second);

        Assert.Equal((OrderStatus.CodeIssued, (Guid?)second), (order.Status, order.InviteCodeId));
    }

    [Fact]
    public void A_card_checkout_starts_while_the_order_waits_and_again_after_one_ran_out_with_a_new_round()
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_1");
        Assert.Equal("checkout-CI-2026-000042-0", order.CheckoutIdempotencyKey);
        Assert.True(order.ExpireCheckout("cs_1"));
        Assert.False(order.ExpireCheckout("cs_1"));
        Assert.Equal((OrderStatus.Expired, 1, "checkout-CI-2026-000042-1"), (order.Status, order.CheckoutRound, order.CheckoutIdempotencyKey));

        order.StartCheckout("cs_2");

        Assert.Equal((OrderStatus.AwaitingPayment, "cs_2", 1), (order.Status, order.StripeSessionId, order.CheckoutRound));
    }

    [Fact]
    public void Only_the_checkout_the_order_waits_for_can_expire_it()
    {
        var order = Place(PaymentMethod.Card);
        order.StartCheckout("cs_new");

        Assert.False(order.ExpireCheckout("cs_old"));
        Assert.Equal((OrderStatus.AwaitingPayment, 0), (order.Status, order.CheckoutRound));

        order.PayByCard(PaidSession(order), Now);
        Assert.False(order.ExpireCheckout("cs_new"));
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void A_paid_order_starts_no_checkout_and_cannot_be_cancelled()
    {
        var order = InStatus(OrderStatus.Paid);

        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => order.StartCheckout("cs_2")).Code);
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => order.Cancel(Now, Guid.NewGuid())).Code);
        Assert.Equal((OrderStatus.Paid, "cs_1", (DateTimeOffset?)null), (order.Status, order.StripeSessionId, order.ClosedAt));
    }

    [Fact]
    public void Cancelling_closes_a_waiting_or_expired_order_once()
    {
        var support = Guid.NewGuid();
        var waiting = Place();
        var expired = InStatus(OrderStatus.Expired);

        waiting.Cancel(Now, support);
        expired.Cancel(Now, support);

        Assert.Equal((OrderStatus.Cancelled, (DateTimeOffset?)Now, (Guid?)support), (waiting.Status, waiting.ClosedAt, waiting.ClosedById));
        Assert.Equal(OrderStatus.Cancelled, expired.Status);
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => waiting.Cancel(Now, support)).Code);
    }

    [Fact]
    public void A_card_refund_waits_for_the_provider_and_a_bank_refund_closes_at_once_with_who_made_it()
    {
        var support = Guid.NewGuid();
        var card = InStatus(OrderStatus.CodeIssued);
        var bank = InStatus(OrderStatus.CodeIssued, PaymentMethod.BankTransfer);

        card.BeginRefund(Now.AddDays(1), support);
        Assert.Equal((OrderStatus.RefundPending, true, true), (card.Status, card.IsPaid, card.CanRefund(codeRedeemed: false)));
        Assert.True(card.Refund(Now.AddDays(2), null));
        Assert.False(card.Refund(Now.AddDays(3), null));
        Assert.Equal("invalid_status", Assert.Throws<DomainException>(() => bank.BeginRefund(Now, support)).Code);
        Assert.True(bank.Refund(Now.AddDays(1), support));

        Assert.Equal((OrderStatus.Refunded, (DateTimeOffset?)Now.AddDays(2), (Guid?)support, false), (card.Status, card.ClosedAt, card.ClosedById, card.IsPaid));
        Assert.Equal((OrderStatus.Refunded, (DateTimeOffset?)Now.AddDays(1), (Guid?)support), (bank.Status, bank.ClosedAt, bank.ClosedById));
        Assert.False(InStatus(OrderStatus.CodeIssued).CanRefund(codeRedeemed: true));
    }

    [Fact]
    public void Line_breaks_are_stored_as_newlines_whatever_the_browser_sent() =>
        Assert.Equal(("a\nb\nc", null), (Order.NormalizeLineBreaks("a\r\nb\nc"), Order.NormalizeLineBreaks(null)));
}
