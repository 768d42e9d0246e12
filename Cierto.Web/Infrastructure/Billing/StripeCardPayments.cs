using Cierto.Domain.Billing;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Stripe;
using Stripe.Checkout;

namespace Cierto.Web.Infrastructure.Billing;

/// <summary><c>Cierto:Billing:Stripe</c>: card payments are on when both secrets are set (from configuration only, never the repository).</summary>
public sealed class StripeSettings
{
    public const string Section = "Cierto:Billing:Stripe";

    public string? SecretKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is; only tests point it elsewhere (a loopback server).</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a signed webhook may be (Stripe's default: 5 minutes).</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    public bool Configured => !string.IsNullOrWhiteSpace(SecretKey) && !string.IsNullOrWhiteSpace(WebhookSecret);
}

/// <summary>
/// Card payments with Stripe Checkout through Stripe.net's <see cref="StripeClient"/>. An order is
/// never marked paid from here or from the redirect back: only the signed webhook does that.
/// </summary>
public sealed class StripeCardPayments(StripeClient client) : ICardPayments
{
    public bool Enabled => true;

    public async Task<CardCheckout> StartCheckoutAsync(Order order, Uri successUrl, Uri cancelUrl, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = order.Reference,
            CustomerEmail = order.ContactEmail,
            SuccessUrl = successUrl.ToString(),
            CancelUrl = cancelUrl.ToString(),
            Metadata = new Dictionary<string, string> { ["order"] = order.Reference },
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { ["order"] = order.Reference } },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = order.Currency.ToLowerInvariant(),
                        UnitAmount = order.AmountMinor,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = $"Cierto {order.PlanName} — {order.CompanyName}" },
                    },
                },
            ],
        };
        try
        {
            var session = await new SessionService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
            return new CardCheckout(session.Id, session.Url);
        }
        catch (StripeException ex)
        {
            throw new DomainException("card_provider_failed", Texts.Get("The card payment could not be started. Please try again in a minute, or pay by bank transfer with the invoice."), ex);
        }
    }

    public async Task RefundAsync(Order order, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.StripePaymentIntentId is not { Length: > 0 } paymentIntent)
        {
            throw new DomainException("refund_unavailable", Texts.Format("Order {0} has no card payment on record to refund.", order.Reference));
        }

        try
        {
            await new RefundService(client).CreateAsync(new RefundCreateOptions { PaymentIntent = paymentIntent, Metadata = new Dictionary<string, string> { ["order"] = order.Reference } }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
        }
        catch (StripeException ex)
        {
            // The order stays refund pending with its code revoked; asking again uses a new key (Stripe keeps this one's refusal), and Stripe never refunds more than was paid.
            throw new DomainException("card_provider_failed", Texts.Format("Stripe did not confirm the refund of order {0} ({1}). Its code is revoked; try the refund again, or refund it in the Stripe dashboard.", order.Reference, ex.StripeError?.Message ?? ex.Message), ex);
        }
    }
}
