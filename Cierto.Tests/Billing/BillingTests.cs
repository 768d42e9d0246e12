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

        // Coming back from Stripe's success page proves nothing: only the signed webhook pays.
        var key = placed.GetProperty("key").GetString()!;
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
    public async Task A_completed_event_that_arrives_after_its_own_expiry_still_pays()
    {
        var (reference, key, _) = await PlaceCardOrderAsync();
        var session = SessionOf(reference);
        await PostWebhookAsync(StripeEvents.Session("checkout.session.expired", session, reference, "unpaid", null));
        await PostWebhookAsync(StripeEvents.Session("checkout.session.async_payment_succeeded", session, reference, "paid", "pi_test_late"));

        Assert.Equal("code_issued", (await OrderAsync(reference, key)).GetProperty("status").GetString());
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
        Assert.Equal("bank_transfer", order.PaidVia);
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
        await app.DeliverOutboxAsync();
        await using var db = app.Db();
        var order = await db.Orders.SingleAsync(o => o.Reference == reference);
        var mail = await CodeMailAsync(order.ContactEmail);
        var code = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"code=([A-Z0-9-]+)").Groups[1].Value;

        var registered = await app.App.CreateClient().PostAsJsonAsync("/api/v1/companies/register", new { inviteCode = code, companyName = order.CompanyName, companyIdentificationNumber = order.CompanyIdentificationNumber, adminEmail = AppFixture.Email("admin"), adminPassword = AppFixture.Password, adminDisplayName = "First Admin" });
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

    [Fact]
    public async Task An_order_for_a_registered_company_number_or_with_missing_fields_is_refused_naming_the_json_fields()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        await using var db = app.Db();
        var registered = await db.Companies.Where(c => c.Id == companyId).Select(c => c.IdentificationNumber).SingleAsync();

        var taken = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", Request(registered, "bank_transfer"));
        await ApiCalls.AssertProblemAsync(taken, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("already registered", (await ApiCalls.JsonAsync(taken)).GetProperty("errors").GetProperty("companyIdentificationNumber")[0].GetString(), StringComparison.Ordinal);

        var empty = await app.App.CreateClient().PostAsJsonAsync("/api/v1/billing/orders", new { planId = "nope", paymentMethod = "cash" });
        var errors = (await ApiCalls.JsonAsync(empty)).GetProperty("errors");
        foreach (var field in new[] { "planId", "companyIdentificationNumber", "companyName", "contactName", "contactEmail", "billingAddress", "paymentMethod" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} should be named: {errors}");
        }

        Assert.False(await db.Orders.AnyAsync(o => o.CompanyIdentificationNumber == registered));
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

    private async Task<HttpClient> SupportAsync()
    {
        var (support, _) = await app.CreateUserAsync(Roles.Support);
        return await app.SignedInClientAsync(support.Email!);
    }
}
