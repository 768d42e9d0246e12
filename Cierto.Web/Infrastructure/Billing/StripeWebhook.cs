using Cierto.Domain.Billing;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Cierto.Web.Infrastructure.Billing;

/// <summary>
/// <c>POST /billing/stripe/webhook</c>: Stripe tells Cierto what happened to a checkout or a
/// charge. The body is believed only with a valid <c>Stripe-Signature</c> for the configured
/// secret within the tolerance (else 400, nothing changes). Each event id is recorded after its
/// effect, and a recorded id answers 200 at once; every effect is idempotent and checks the
/// order's state under its row lock, so a retried delivery, a crash between effect and record, or
/// events out of order never pay, expire or refund an order twice. A completed session pays only
/// the order whose current checkout it is, for its exact amount and currency (see
/// <see cref="Order.PayByCard"/>); every other event is answered 200 so Stripe stops retrying,
/// recorded in the audit log, and changes nothing.
/// </summary>
internal static partial class StripeWebhook
{
    public const string Path = "/billing/stripe/webhook";

    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync).DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IOptions<StripeSettings> settings, OrderService orders, CiertoDbContext db, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhook));
        if (!settings.Value.Configured)
        {
            return Results.NotFound();
        }

        string json;
        using (var reader = new StreamReader(http.Request.Body))
        {
            json = await reader.ReadToEndAsync(http.RequestAborted);
        }

        Event stripeEvent;
        try
        {
            var signature = http.Request.Headers["Stripe-Signature"].ToString();
            if (signature.Length == 0)
            {
                throw new StripeException("The request has no Stripe-Signature header.");
            }

            stripeEvent = EventUtility.ConstructEvent(json, signature, settings.Value.WebhookSecret, settings.Value.WebhookToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or FormatException or Newtonsoft.Json.JsonException or System.Text.Json.JsonException)
        {
            LogRejected(logger, ex.Message);
            return Results.BadRequest(new { error = "The Stripe-Signature header does not verify." });
        }

        if (await db.ProcessedPaymentEvents.AnyAsync(e => e.Id == stripeEvent.Id, http.RequestAborted))
        {
            return Results.Ok(new { received = true, duplicate = true });
        }

        await HandleEventAsync(stripeEvent, orders, logger, http.RequestAborted);
        db.ProcessedPaymentEvents.Add(new ProcessedPaymentEvent(stripeEvent.Id, stripeEvent.Type, time.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // The same event delivered twice at once: the other delivery recorded it; the effects are idempotent.
        }

        return Results.Ok(new { received = true });
    }

    private static async Task HandleEventAsync(Event stripeEvent, OrderService orders, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            switch (stripeEvent.Type)
            {
                case EventTypes.CheckoutSessionCompleted when stripeEvent.Data.Object is Session { PaymentStatus: "unpaid" }:
                    break; // a delayed payment (a bank debit): its async event follows
                case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when stripeEvent.Data.Object is Session completed:
                    // The order decides whether this session pays it (its own checkout, its amount and currency, paid).
                    await orders.CardPaidAsync(completed.ClientReferenceId, new CardPayment(completed.Id, completed.AmountTotal, completed.Currency, completed.PaymentStatus, completed.PaymentIntentId), cancellationToken);
                    break;
                case EventTypes.CheckoutSessionAsyncPaymentFailed when stripeEvent.Data.Object is Session failed:
                    await orders.CardPaymentFailedAsync(failed.ClientReferenceId, failed.Id, cancellationToken);
                    break;
                case EventTypes.CheckoutSessionExpired when stripeEvent.Data.Object is Session expired:
                    await orders.CheckoutExpiredAsync(expired.ClientReferenceId, expired.Id, cancellationToken);
                    break;
                case EventTypes.ChargeRefunded when stripeEvent.Data.Object is Charge { Refunded: true, PaymentIntentId: { Length: > 0 } paymentIntent }:
                    await orders.CardRefundedAsync(paymentIntent, cancellationToken);
                    break;
                default:
                    break; // not a type Cierto acts on
            }
        }
        catch (Cierto.Domain.Common.NotFoundException)
        {
            // An event for an order this installation does not have (a Payment Link, another integration or environment on the same account).
            LogUnknownOrder(logger, stripeEvent.Type, stripeEvent.Id);
            if (stripeEvent.Data.Object is Session session)
            {
                await orders.UnmatchedCardEventAsync(stripeEvent.Type, session.ClientReferenceId, session.Id, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Stripe webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {Type} {Id} names no order of this installation; ignored.")]
    private static partial void LogUnknownOrder(ILogger logger, string type, string id);
}
