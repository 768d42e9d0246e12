using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cierto.Domain.Billing;
using Cierto.Domain.Companies;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Billing;

/// <summary>The app with card payments on: Stripe.net talks to <see cref="StripeStandIn"/>, mail goes to a real SMTP server.</summary>
public sealed class BillingFixture : SmtpAppFixture
{
    public const string WebhookSecret = "whsec_cierto_test_secret";

    public StripeStandIn Stripe { get; } = new();

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Cierto:Billing:Stripe:SecretKey"] = "sk_test_cierto",
        ["Cierto:Billing:Stripe:WebhookSecret"] = WebhookSecret,
        ["Cierto:Billing:Stripe:ApiBase"] = Stripe.ApiBase,
        ["Cierto:Billing:Seller:Iban"] = "DE89 3704 0044 0532 0130 00",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public sealed class BillingTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    [Fact]
    public async Task The_plans_come_from_configuration_with_id_name_price_and_currency()
    {
        var plans = await ApiCalls.JsonAsync(await app.App.CreateClient().GetAsync(new Uri("/api/v1/billing/plans", UriKind.Relative)));

        var starter = plans.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "starter");
        Assert.Equal("Starter", starter.GetProperty("name").GetString());
        Assert.Equal(29m, starter.GetProperty("price").GetDecimal());
        Assert.Equal("EUR", starter.GetProperty("currency").GetString());
        var page = await app.App.CreateClient().GetStringAsync(new Uri("/pricing", UriKind.Relative));
        Assert.Contains("EUR 29.00", page, StringComparison.Ordinal);
        Assert.Contains("buy?plan=starter", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_order_opens_one_checkout_with_amount_currency_reference_and_idempotency_key_and_the_redirect_back_pays_nothing()
    {
        var placed = await PlaceAsync("card");
        var reference = placed.GetProperty("reference").GetString()!;
        Assert.Matches(@"^CI-\d{4}-\d{6}$", reference);
        Assert.Equal("awaiting_payment", placed.GetProperty("status").GetString());
        Assert.StartsWith("https://checkout.stripe.test/", placed.GetProperty("checkoutUrl").GetString(), StringComparison.Ordinal);

        var session = app.Stripe.CheckoutSessions.Single(r => r.Form["client_reference_id"] == reference);
        Assert.Equal("Bearer sk_test_cierto", session.Authorization);
        Assert.Equal("2900", session.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", session.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("payment", session.Form["mode"]);
        Assert.Equal($"checkout-{reference}-0", session.IdempotencyKey);
        var key = placed.GetProperty("key").GetString()!;
        Assert.Equal($"http://localhost/orders/{reference}?key={key}&checkout=success", session.Form["success_url"]); // the public address, as the order page builds it too

        // Coming back from Stripe's success page proves nothing: only the signed webhook pays.
        var back = await app.App.CreateClient().GetAsync(new Uri($"/orders/{reference}?key={key}&checkout=success", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("awaiting_payment", (await OrderAsync(reference, key)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_signed_completed_event_pays_the_order_and_issues_exactly_one_code_even_when_delivered_twice()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        var sessionId = SessionOf(reference);
        var payload = StripeEvents.Session("checkout.session.completed", sessionId, reference, "paid", "pi_test_once");

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(payload)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(payload)).StatusCode); // Stripe retries deliveries

        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.Equal(1, await db.InviteCodes.CountAsync(i => i.IdentificationNumber == number && i.Source == InviteCodeSource.Purchase));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Kind == InviteCodeIssued.Kind && m.Payload.Contains(number)));
        await app.DeliverOutboxAsync();
        var mail = await CodeMailAsync($"buyer-{number.ToLowerInvariant()}@cierto.test");
        Assert.Contains("register-company?code=", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_or_stale_signature_is_400_and_changes_nothing()
    {
        var (reference, key, _) = await PlaceCardOrderAsync();
        var payload = StripeEvents.Session("checkout.session.completed", SessionOf(reference), reference, "paid", "pi_test_tampered");
        var eventId = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString();

        var tampered = payload.Replace("\"paid\"", "\"paid\" ", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(tampered, StripeEvents.Signature(payload, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, StripeEvents.Signature(payload, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, StripeEvents.Signature(payload, "whsec_someone_else", DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, signature: string.Empty)).StatusCode);

        Assert.Equal("awaiting_payment", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.False(await db.ProcessedPaymentEvents.AnyAsync(e => e.Id == eventId));
        Assert.False(await db.InviteCodes.AnyAsync(i => i.Source == InviteCodeSource.Purchase && db.Orders.Any(o => o.Reference == reference && o.InviteCodeId == i.Id)));
    }

    [Fact]
    public async Task An_expired_checkout_can_be_started_again_and_its_payment_counts_whatever_the_order_of_events()
    {
        var (reference, key, _) = await PlaceCardOrderAsync();
        var first = SessionOf(reference);
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", first, reference, "unpaid", null));
        Assert.Equal("expired", (await OrderAsync(reference, key)).GetProperty("status").GetString());

        // The buyer pays again: a new checkout (a new idempotency key), which completes.
        await app.RunAsync<OrderService, CardCheckout>(s => s.StartCardCheckoutAsync(reference, key, new Uri("http://localhost/ok"), new Uri("http://localhost/cancel")));
        var second = app.Stripe.CheckoutSessions.Where(r => r.Form["client_reference_id"] == reference).ToList();
        Assert.Equal([$"checkout-{reference}-0", $"checkout-{reference}-1"], second.Select(r => r.IdempotencyKey));
        var secondSession = SessionOf(reference);
        Assert.NotEqual(first, secondSession);
        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", secondSession, reference, "paid", "pi_test_second"));
        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());

        // Late news of either checkout expiring changes nothing now.
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", secondSession, reference, "unpaid", null));
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", first, reference, "unpaid", null));
        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_payment_that_arrives_after_its_checkout_ran_out_is_kept_to_refund_and_issues_no_code()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        var session = SessionOf(reference);
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", session, reference, "unpaid", null));
        await PostWebhookAsync(StripeEvents.Session("checkout.session.async_payment_succeeded", session, reference, "paid", "pi_test_late"));

        Assert.Equal("paid_after_cancel", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.False(await db.InviteCodes.AnyAsync(i => i.IdentificationNumber == number));
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "order.paid-after-cancel" && a.TargetId == order.Id.ToString()));
    }

    /// <summary>A Payment Link, a second integration on the same Stripe account, or a tampered checkout may name any order's (sequential) reference.</summary>
    [Theory]
    [InlineData("another session")]
    [InlineData("one euro")]
    [InlineData("no amount")]
    [InlineData("dollars")]
    [InlineData("no payment required")]
    public async Task A_completed_session_that_is_not_the_orders_checkout_for_its_amount_and_currency_pays_nothing_and_is_recorded(string what)
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        var session = SessionOf(reference);
        var payload = what switch
        {
            "another session" => StripeEvents.Session("checkout.session.completed", $"cs_live_payment_link_{Guid.NewGuid():N}", reference, "paid", "pi_test_link"),
            "one euro" => StripeEvents.Session("checkout.session.completed", session, reference, "paid", "pi_test_one", amountTotal: 100),
            "no amount" => StripeEvents.Session("checkout.session.completed", session, reference, "paid", "pi_test_none", amountTotal: null),
            "dollars" => StripeEvents.Session("checkout.session.completed", session, reference, "paid", "pi_test_usd", currency: "usd"),
            _ => StripeEvents.Session("checkout.session.completed", session, reference, "no_payment_required", null, amountTotal: 0),
        };

        var answer = await PostWebhookAsync(payload);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode); // so that Stripe stops retrying
        Assert.Equal("awaiting_payment", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using (var db = app.Db())
        {
            var order = await db.Orders.SingleAsync(o => o.Reference == reference);
            Assert.Equal(((DateTimeOffset?)null, (string?)null), (order.PaidAt, order.StripePaymentIntentId));
            Assert.False(await db.InviteCodes.AnyAsync(i => i.IdentificationNumber == number));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "order.card-payment-refused" && a.TargetId == order.Id.ToString()));
        }

        // The order's own checkout, paid in full, still pays it afterwards.
        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", session, reference, "paid", "pi_test_right"));
        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_session_naming_no_order_of_ours_is_recorded_and_answered_200()
    {
        var session = $"cs_test_foreign_{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", session, "CI-1999-999999", "paid", "pi_test_foreign"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", session + "x", null, "paid", "pi_test_foreign"))).StatusCode);

        await using var db = app.Db();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "order.card-event-unmatched" && a.Details!.Contains(session)));
    }

    [Fact]
    public async Task A_card_payment_for_a_cancelled_order_is_kept_as_paid_after_cancel_and_support_refunds_it_through_stripe()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        var session = SessionOf(reference);
        var support = await SupportAsync();
        Assert.Equal(HttpStatusCode.OK, (await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/cancel", UriKind.Relative), null)).StatusCode);

        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", session, reference, "paid", $"pi_test_{number}"));

        Assert.Equal("paid_after_cancel", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using (var db = app.Db())
        {
            Assert.False(await db.InviteCodes.AnyAsync(i => i.IdentificationNumber == number));
        }

        await ApiCalls.AssertProblemAsync(await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/resend-code", UriKind.Relative), null), HttpStatusCode.Conflict, "invalid_status");
        var refunded = await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null);
        Assert.Equal("refunded", (await ApiCalls.JsonAsync(refunded)).GetProperty("status").GetString());
        Assert.Single(app.Stripe.Refunds, r => r.Form["payment_intent"] == $"pi_test_{number}");
    }

    /// <summary>Support marked a card order paid by transfer, and the buyer also paid its checkout: nothing more is issued, and Support is told to refund the card.</summary>
    [Fact]
    public async Task A_card_payment_for_an_order_already_paid_by_transfer_issues_nothing_more_and_is_recorded_to_refund()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        var session = SessionOf(reference);
        var support = await SupportAsync();
        Assert.Equal(HttpStatusCode.OK, (await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/mark-paid", UriKind.Relative), null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", session, reference, "paid", $"pi_test_twice_{number}"))).StatusCode);

        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using var db = app.Db();
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        Assert.Equal(PaymentMethod.BankTransfer, order.PaidVia);
        Assert.Equal(1, await db.InviteCodes.CountAsync(i => i.IdentificationNumber == number));
        var note = await db.AuditEntries.SingleAsync(a => a.Action == "order.paid-twice" && a.TargetId == order.Id.ToString());
        Assert.Contains($"pi_test_twice_{number}", note.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_checkout_round_is_kept_on_the_order_so_a_pruned_audit_log_never_reuses_an_expired_checkout()
    {
        var (reference, key, _) = await PlaceCardOrderAsync();
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", SessionOf(reference), reference, "unpaid", null));
        await using (var db = app.Db())
        {
            var id = (await db.Orders.SingleAsync(o => o.Reference == reference)).Id.ToString();
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditEntries" WHERE "TargetId" = {id}""");
        }

        await app.RunAsync<OrderService, CardCheckout>(s => s.StartCardCheckoutAsync(reference, key, new Uri("http://localhost/ok"), new Uri("http://localhost/cancel")));

        Assert.Equal([$"checkout-{reference}-0", $"checkout-{reference}-1"], app.Stripe.CheckoutSessions.Where(r => r.Form["client_reference_id"] == reference).Select(r => r.IdempotencyKey));
    }

    [Fact]
    public async Task A_code_redeemed_while_the_card_refund_waits_for_stripe_registers_nothing_and_the_refund_completes()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", SessionOf(reference), reference, "paid", $"pi_test_{number}"));
        var (order, code) = await IssuedCodeAsync(reference);
        var support = await SupportAsync();
        var gate = app.Stripe.HoldRefunds();

        var refund = support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null);
        await app.Stripe.RefundHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("refund_pending", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        var registering = await RegisterAsync(order, code);
        gate.SetResult();
        var refunded = await refund;

        Assert.Equal(HttpStatusCode.BadRequest, registering.StatusCode);
        Assert.Contains("revoked", (await ApiCalls.JsonAsync(registering)).GetProperty("errors").GetProperty("inviteCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("refunded", (await ApiCalls.JsonAsync(refunded)).GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.False(await db.Companies.AnyAsync(c => c.IdentificationNumber == number));
    }

    [Fact]
    public async Task A_refund_stripe_refuses_stays_pending_with_the_code_revoked_and_asking_again_uses_a_new_key_and_completes()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", SessionOf(reference), reference, "paid", $"pi_test_{number}"));
        var support = await SupportAsync();
        app.Stripe.RefundsToRefuse = 1;

        var refused = await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null);

        await ApiCalls.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "card_provider_failed");
        Assert.Contains("This charge is disputed", (await ApiCalls.JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("refund_pending", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await using (var db = app.Db())
        {
            Assert.NotNull((await db.InviteCodes.SingleAsync(i => i.IdentificationNumber == number)).RevokedAt);
        }

        var again = await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null);

        Assert.Equal("refunded", (await ApiCalls.JsonAsync(again)).GetProperty("status").GetString());
        Assert.Equal([$"refund-{reference}", $"refund-{reference}-1"], app.Stripe.Refunds.Where(r => r.Form["payment_intent"] == $"pi_test_{number}").Select(r => r.IdempotencyKey));
    }

    /// <summary>Support refunding and the buyer registering with the code at the same moment: the database lets exactly one of them win, every round.</summary>
    [Fact]
    public async Task A_refund_and_a_registration_racing_for_one_code_never_both_win()
    {
        var support = (await app.CreateUserAsync(Roles.Support)).Actor;
        for (var round = 0; round < 8; round++)
        {
            var reference = (await PlaceAsync("bank_transfer")).GetProperty("reference").GetString()!;
            await app.RunAsync<OrderService, OrderView>(s => s.MarkPaidAsync(support, reference));
            var (order, code) = await IssuedCodeAsync(reference);
            using var barrier = new Barrier(2);
            var refund = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                try
                {
                    await app.RunAsync<OrderService, OrderView>(s => s.RefundAsync(support, reference));
                    return true;
                }
                catch (Cierto.Domain.Common.DomainException ex) when (ex.Code == "code_used")
                {
                    return false;
                }
            });
            var register = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                try
                {
                    await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(new RegisterCompanyRequest(code, order.CompanyName, order.CompanyIdentificationNumber, AppFixture.Email("racer"), AppFixture.Password, "Racer")));
                    return true;
                }
                catch (Cierto.Domain.Common.ValidationException)
                {
                    return false;
                }
            });

            var (refunded, registered) = (await refund, await register);

            await using var db = app.Db();
            var stored = await db.Orders.SingleAsync(o => o.Reference == reference);
            var company = await db.Companies.AnyAsync(c => c.IdentificationNumber == order.CompanyIdentificationNumber);
            Assert.True(refunded != registered, $"round {round}: refunded {refunded}, registered {registered}");
            Assert.Equal((refunded, registered), (stored.Status == OrderStatus.Refunded, company));
        }
    }

    [Fact]
    public async Task A_bank_transfer_marked_paid_by_support_mails_one_code_however_often_it_is_marked()
    {
        var placed = await PlaceAsync("bank_transfer");
        var reference = placed.GetProperty("reference").GetString()!;
        Assert.Equal(JsonValueKindNull, placed.GetProperty("checkoutUrl").ValueKind);
        var support = await SupportAsync();

        var marks = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/mark-paid", UriKind.Relative), null)));
        Assert.All(marks, m => Assert.Equal(HttpStatusCode.OK, m.StatusCode));
        Assert.Equal("code_issued", (await ApiCalls.JsonAsync(marks[0])).GetProperty("status").GetString());

        await using var db = app.Db();
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        Assert.Equal(PaymentMethod.BankTransfer, order.PaidVia);
        Assert.Equal(1, await db.InviteCodes.CountAsync(i => i.IdentificationNumber == order.CompanyIdentificationNumber));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "order.marked-paid" && a.TargetId == order.Id.ToString() && a.ActorId != null));
        await app.DeliverOutboxAsync();
        var mail = await CodeMailAsync(order.ContactEmail);
        Assert.Contains(order.CompanyIdentificationNumber, mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refund_goes_through_stripe_and_revokes_the_unused_code_and_stripes_own_refund_event_changes_nothing_more()
    {
        var (reference, key, number) = await PlaceCardOrderAsync();
        await PostWebhookAsync(StripeEvents.Session("checkout.session.completed", SessionOf(reference), reference, "paid", $"pi_test_{number}"));
        var support = await SupportAsync();

        var refunded = await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        Assert.Equal("refunded", (await ApiCalls.JsonAsync(refunded)).GetProperty("status").GetString());
        var refund = app.Stripe.Refunds.Single(r => r.Form["payment_intent"] == $"pi_test_{number}");
        Assert.Equal($"refund-{reference}", refund.IdempotencyKey);
        await using (var db = app.Db())
        {
            var code = await db.InviteCodes.SingleAsync(i => i.IdentificationNumber == number);
            Assert.NotNull(code.RevokedAt);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(StripeEvents.ChargeRefunded($"pi_test_{number}"))).StatusCode);
        Assert.Equal("refunded", (await OrderAsync(reference, key)).GetProperty("status").GetString());
        await ApiCalls.AssertProblemAsync(await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null), HttpStatusCode.Conflict, "invalid_status");
    }

    [Fact]
    public async Task A_code_already_used_to_register_cannot_be_refunded_here()
    {
        var placed = await PlaceAsync("bank_transfer");
        var reference = placed.GetProperty("reference").GetString()!;
        var support = await SupportAsync();
        await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/mark-paid", UriKind.Relative), null);
        var (order, code) = await IssuedCodeAsync(reference);

        var registered = await RegisterAsync(order, code);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());

        await ApiCalls.AssertProblemAsync(await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/refund", UriKind.Relative), null), HttpStatusCode.Conflict, "code_used");
        await ApiCalls.AssertProblemAsync(await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/resend-code", UriKind.Relative), null), HttpStatusCode.Conflict, "code_used");
    }

    [Fact]
    public async Task A_new_code_revokes_the_old_one_and_is_mailed()
    {
        var placed = await PlaceAsync("bank_transfer");
        var reference = placed.GetProperty("reference").GetString()!;
        var support = await SupportAsync();
        await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/mark-paid", UriKind.Relative), null);

        var resent = await support.PostAsync(new Uri($"/api/v1/billing/orders/{reference}/resend-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        await using var db = app.Db();
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        var codes = await db.InviteCodes.Where(i => i.IdentificationNumber == order.CompanyIdentificationNumber).OrderBy(i => i.CreatedAt).ToListAsync();
        Assert.Equal(2, codes.Count);
        Assert.NotNull(codes[0].RevokedAt);
        Assert.Null(codes[1].RevokedAt);
        Assert.Equal(codes[1].Id, order.InviteCodeId);
    }

    /// <summary>Placing an order does not tell a stranger whether a number is a customer: it is decided at payment, as issuing the code always could.</summary>
    [Fact]
    public async Task An_order_for_a_registered_company_number_is_placed_like_any_other_and_its_payment_issues_no_code()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        await using var db = app.Db();
        var registered = await db.Companies.Where(c => c.Id == companyId).Select(c => c.IdentificationNumber).SingleAsync();
        var fresh = AppFixture.Unique("BUY").ToUpperInvariant();

        var taken = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", Request(registered, "bank_transfer"));
        var other = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", Request(fresh, "bank_transfer"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (taken.StatusCode, other.StatusCode));
        var (forTaken, forFresh) = (await ApiCalls.JsonAsync(taken), await ApiCalls.JsonAsync(other));
        Assert.Equal(
            [.. forFresh.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind))],
            forTaken.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)).ToList());
        var reference = forTaken.GetProperty("reference").GetString()!;
        var paid = await (await SupportAsync()).PostAsync(new Uri($"/api/v1/billing/orders/{reference}/mark-paid", UriKind.Relative), null);
        Assert.Equal("paid", (await ApiCalls.JsonAsync(paid)).GetProperty("status").GetString());
        Assert.False(await db.InviteCodes.AnyAsync(i => i.IdentificationNumber == registered && i.Source == InviteCodeSource.Purchase));
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "order.paid-company-exists" && a.TargetId == order.Id.ToString()));
    }

    [Fact]
    public async Task An_order_with_missing_fields_is_refused_naming_the_json_fields_and_nothing_is_stored()
    {
        var empty = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", new { planId = "nope", paymentMethod = "cash", contactEmail = "nobody-here@cierto.test" });
        await ApiCalls.AssertProblemAsync(empty, HttpStatusCode.BadRequest, "validation");
        var errors = (await ApiCalls.JsonAsync(empty)).GetProperty("errors");
        foreach (var field in new[] { "planId", "companyIdentificationNumber", "companyName", "contactName", "billingAddress", "paymentMethod" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} should be named: {errors}");
        }

        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.ContactEmail == "nobody-here@cierto.test"));
    }

    /// <summary>Anyone may order for any address, so the order mail must not carry a message of theirs (a spammer's text in the name fields).</summary>
    [Fact]
    public async Task The_order_mail_carries_no_text_the_buyer_typed()
    {
        var number = AppFixture.Unique("SPAM").ToUpperInvariant();
        var email = $"victim-{number.ToLowerInvariant()}@cierto.test";
        var placed = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", new
        {
            planId = "starter",
            companyIdentificationNumber = number,
            companyName = "Cheap watches at spam.example",
            contactName = "Win a prize at spam.example",
            contactEmail = email,
            billingAddress = "Visit spam.example now",
            vatId = (string?)null,
            paymentMethod = "bank_transfer",
        });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        await app.DeliverOutboxAsync();

        var mail = await app.Smtp.NextForAsync(email);

        Assert.StartsWith("Your Cierto order CI-", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("spam.example", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("spam.example", mail.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Hello,", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ordering_pauses_site_wide_once_the_daily_budget_of_order_mails_is_spent_and_resumes_a_day_later()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(20));
        await using var scope = app.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var settings = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BillingSettings>>().Value;
        settings = new BillingSettings { Plans = settings.Plans, Seller = settings.Seller, DailyOrderLimit = 2 };
        OrderService Service() => new(app.Db(), Microsoft.Extensions.Options.Options.Create(settings), services.GetRequiredService<ICardPayments>(), services.GetRequiredService<FluentValidation.IValidator<OrderInput>>(), clock);
        OrderInput Input() => new("starter", AppFixture.Unique("BUD").ToUpperInvariant(), "Budget Ltd", "Bea", AppFixture.Email("budget"), "1 Lane", null, "bank_transfer");

        await Service().PlaceAsync(Input());
        clock.Advance(TimeSpan.FromHours(1));
        await Service().PlaceAsync(Input());
        var refused = await Assert.ThrowsAsync<Cierto.Domain.Common.DomainException>(() => Service().PlaceAsync(Input()));
        clock.Advance(TimeSpan.FromHours(23));
        var third = await Service().PlaceAsync(Input()); // the first is a day old now

        Assert.Equal("orders_paused", refused.Code);
        Assert.Equal(OrderStatus.AwaitingPayment, third.Order.Status);
        await using var db = app.Db();
        Assert.Equal(3, await db.Orders.CountAsync(o => o.CreatedAt > clock.GetUtcNow().AddDays(-2)));
    }

    [Fact]
    public async Task An_order_is_read_with_its_key_or_by_support_and_a_wrong_key_reads_like_no_order()
    {
        var placed = await PlaceAsync("bank_transfer");
        var reference = placed.GetProperty("reference").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await app.App.CreateClient().GetAsync(new Uri($"/api/v1/billing/orders/{reference}?key={placed.GetProperty("key").GetString()}", UriKind.Relative))).StatusCode);
        await ApiCalls.AssertProblemAsync(await app.App.CreateClient().GetAsync(new Uri($"/api/v1/billing/orders/{reference}?key=WRONG", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
        await ApiCalls.AssertProblemAsync(await app.App.CreateClient().GetAsync(new Uri("/api/v1/billing/orders/CI-1999-999999?key=WRONG", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await (await SupportAsync()).GetAsync(new Uri($"/api/v1/billing/orders/{reference}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.App.CreateClient().GetAsync(new Uri("/api/v1/billing/orders", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("GET", "", HttpStatusCode.OK)]
    [InlineData("POST", "/mark-paid", HttpStatusCode.OK)]
    [InlineData("POST", "/cancel", HttpStatusCode.OK)]
    [InlineData("POST", "/refund", HttpStatusCode.Conflict)] // not paid: the rule answers, not the door
    [InlineData("POST", "/resend-code", HttpStatusCode.Conflict)]
    public async Task Only_support_and_root_handle_orders(string method, string action, HttpStatusCode rootGets)
    {
        var reference = (await PlaceAsync("bank_transfer")).GetProperty("reference").GetString()!;
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var path = action.Length == 0 ? "/api/v1/billing/orders" : $"/api/v1/billing/orders/{reference}{action}";
        foreach (var role in new[] { Roles.Worker, Roles.CompanyAdmin })
        {
            var (user, _) = await app.CreateUserAsync(role, companyId);
            var client = await app.SignedInClientAsync(user.Email!);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.App.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
        var (root, _) = await app.CreateUserAsync(Roles.Root);
        Assert.Equal(rootGets, (await (await app.SignedInClientAsync(root.Email!)).SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
        await using var db = app.Db();
        Assert.Equal(action == "/cancel" ? OrderStatus.Cancelled : action == "/mark-paid" ? OrderStatus.CodeIssued : OrderStatus.AwaitingPayment, (await db.Orders.SingleAsync(o => o.Reference == reference)).Status);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static object Request(string number, string method) => new
    {
        planId = "starter",
        companyIdentificationNumber = number,
        companyName = $"Buyer {number} Ltd",
        contactName = "Bea Buyer",
        contactEmail = $"buyer-{number.ToLowerInvariant()}@cierto.test",
        billingAddress = "1 Yard Lane\n12345 Sitetown",
        vatId = "DE123456789",
        paymentMethod = method,
    };

    private async Task<System.Text.Json.JsonElement> PlaceAsync(string method, string? number = null)
    {
        var response = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", Request(number ?? AppFixture.Unique("BUY").ToUpperInvariant(), method));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ApiCalls.JsonAsync(response);
    }

    private async Task<(string Reference, string Key, string Number)> PlaceCardOrderAsync()
    {
        var number = AppFixture.Unique("BUY").ToUpperInvariant();
        var placed = await PlaceAsync("card", number);
        return (placed.GetProperty("reference").GetString()!, placed.GetProperty("key").GetString()!, number);
    }

    /// <summary>The newest checkout session Stripe made for the order (the stand-in's answer, as the order stores it).</summary>
    private string SessionOf(string reference)
    {
        using var db = app.Db();
        return db.Orders.Where(o => o.Reference == reference).Select(o => o.StripeSessionId).Single()!;
    }

    private async Task<System.Text.Json.JsonElement> OrderAsync(string reference, string key) =>
        await ApiCalls.JsonAsync(await app.App.CreateClient().GetAsync(new Uri($"/api/v1/billing/orders/{reference}?key={key}", UriKind.Relative)));

    private async Task<HttpResponseMessage> PostWebhookAsync(string payload, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeEvents.Signature(payload, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow));
        return await app.App.CreateClient().SendAsync(request);
    }

    /// <summary>The mail with the invite code (the order's own mail comes first).</summary>
    private async Task<MimeKit.MimeMessage> CodeMailAsync(string to)
    {
        while (true)
        {
            var mail = await app.Smtp.NextForAsync(to);
            if (mail.Subject == "Your Cierto invite code")
            {
                return mail;
            }
        }
    }

    /// <summary>The order and the invite code its buyer was mailed, as they would type it.</summary>
    private async Task<(Order Order, string Code)> IssuedCodeAsync(string reference)
    {
        await app.DeliverOutboxAsync();
        await using var db = app.Db();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Reference == reference);
        var mail = await CodeMailAsync(order.ContactEmail);
        return (order, System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"code=([A-Z0-9-]+)").Groups[1].Value);
    }

    private Task<HttpResponseMessage> RegisterAsync(Order order, string code) =>
        app.App.CreateClient().PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = code, companyName = order.CompanyName, companyIdentificationNumber = order.CompanyIdentificationNumber, adminEmail = AppFixture.Email("admin"), adminPassword = AppFixture.Password, adminDisplayName = "First Admin" });

    private async Task<HttpClient> SupportAsync()
    {
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        return await app.SignedInClientAsync(support.Email!);
    }
}
