using Cierto.Domain.Billing;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Cierto.Web.Infrastructure.Limits;
using Cierto.Web.Infrastructure.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Api;

public sealed record PlanResponse(string Id, string Name, string? Description, decimal Price, string Currency, string Period, int? MaxItems, int? MaxWorkers);

public sealed record OrderRequest(string? PlanId, string? CompanyIdentificationNumber, string? CompanyName, string? ContactName, string? ContactEmail, string? BillingAddress, string? VatId, string? PaymentMethod);

public sealed record OrderResponse(
    string Reference,
    string Status,
    string PlanId,
    string PlanName,
    decimal Amount,
    string Currency,
    string PaymentMethod,
    string CompanyIdentificationNumber,
    string CompanyName,
    string ContactName,
    string ContactEmail,
    string BillingAddress,
    string? VatId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    string? CodeState)
{
    public static OrderResponse From(OrderView order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(order.Reference, order.StatusCode, order.PlanId, order.PlanName, Money.FromMinor(order.AmountMinor, order.Currency), order.Currency, OrderStatusNames.Method(order.PaymentMethod),
            order.CompanyIdentificationNumber, order.CompanyName, order.ContactName, order.ContactEmail, order.BillingAddress, order.VatId, order.CreatedAt, order.PaidAt,
            order.CodeState?.ToString().ToLowerInvariant());
    }
}

/// <summary>The order as placed: its secret (to read it later: <c>?key=</c>), its page, and for a card payment the checkout to open.</summary>
public sealed record PlacedOrderResponse(string Reference, string Status, decimal Amount, string Currency, string PaymentMethod, string Key, string OrderUrl, string? CheckoutUrl);

/// <summary>Buying an invite code from the mobile app, and Support's handling of orders.</summary>
public static class BillingApi
{
    public static RouteGroupBuilder MapBillingApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var billing = api.MapGroup("/billing").WithTags("Billing");
        billing.MapGet("/plans", (IOptions<BillingSettings> settings) => settings.Value.Plans.Select(p => new PlanResponse(p.Id, p.Name, p.LocalDescription, p.Price, p.Currency.ToUpperInvariant(), p.Period, p.MaxItems, p.MaxWorkers)).ToList())
            .AllowAnonymous().WithName("ListPlans").WithSummary("The plans on sale.").Produces<List<PlanResponse>>();

        billing.MapPost("/orders", PlaceAsync).AllowAnonymous().RequireLimit(LimitedAction.Order, c => c.Argument<OrderRequest>()?.ContactEmail)
            .WithName("PlaceOrder").WithSummary("Order an invite code (paymentMethod card or bank_transfer).")
            .WithDescription("201 with the reference, the amount, the key that reads the order later, and for card payments the Stripe Checkout URL to open. The invite code is mailed to contactEmail once the payment is confirmed. 400 validation names the JSON field. Whether the company identification number is already a customer is decided at payment (no code is issued then; Support refunds). 503 orders_paused when the site's daily order budget is spent.")
            .Produces<PlacedOrderResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // Anyone with the key; the bearer token is still read, so Support needs no key.
        billing.MapGet("/orders/{reference}", GetAsync).RequireAuthorization(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme).RequireAssertion(_ => true).Build()).WithName("GetOrder")
            .WithSummary("An order: with its key (?key=, from placing it or from the mail), or as Support.")
            .Produces<OrderResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        var staff = billing.MapGroup("/orders").RequireAuthorization(ApiExtensions.Staff);
        staff.MapGet("/", ListAsync).WithName("ListOrders").WithSummary("Orders, newest first (Support, Root); status is e.g. awaiting_payment.").Produces<Paged<OrderResponse>>();
        staff.MapPost("/{reference}/mark-paid", (string reference, HttpContext http, OrderService s) => Answer(s.MarkPaidAsync(http.Actor(), reference, http.RequestAborted)))
            .WithName("MarkOrderPaid").WithSummary("A bank transfer arrived: the order is paid and its invite code mailed. Marking twice issues one code.").Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/{reference}/cancel", (string reference, HttpContext http, OrderService s) => Answer(s.CancelAsync(http.Actor(), reference, http.RequestAborted)))
            .WithName("CancelOrder").WithSummary("Cancel an unpaid order.").Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/{reference}/refund", (string reference, HttpContext http, OrderService s) => Answer(s.RefundAsync(http.Actor(), reference, http.RequestAborted)))
            .WithName("RefundOrder").WithSummary("Refund a paid order whose code is unused (card: through Stripe; bank transfer: marked); the code is revoked.").Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/{reference}/resend-code", (string reference, HttpContext http, OrderService s) => Answer(s.ResendCodeAsync(http.Actor(), reference, http.RequestAborted)))
            .WithName("ResendOrderCode").WithSummary("Mail a new code for a paid order; the previous code stops working.").Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> PlaceAsync(OrderRequest request, OrderService orders, MailTemplates links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var placed = await orders.PlaceAsync(new OrderInput(request.PlanId, request.CompanyIdentificationNumber, request.CompanyName, request.ContactName, request.ContactEmail, request.BillingAddress, request.VatId, request.PaymentMethod), cancellationToken);
        var order = placed.Order;
        var page = links.OrderPage(order.Reference, placed.Secret);
        string? checkoutUrl = null;
        if (order.PaymentMethod == PaymentMethod.Card)
        {
            var checkout = await orders.StartCardCheckoutAsync(order.Reference, placed.Secret, new Uri(page + "&checkout=success"), new Uri(page + "&checkout=cancelled"), cancellationToken);
            checkoutUrl = checkout.Url;
        }

        return TypedResults.Created(
            $"/api/v1/billing/orders/{order.Reference}",
            new PlacedOrderResponse(order.Reference, order.StatusCode, Money.FromMinor(order.AmountMinor, order.Currency), order.Currency, OrderStatusNames.Method(order.PaymentMethod), placed.Secret, page, checkoutUrl));
    }

    private static async Task<OrderResponse> GetAsync(string reference, string? key, HttpContext http, OrderService orders) =>
        OrderResponse.From(http.User.Identity?.IsAuthenticated == true && http.Actor() is { IsStaff: true } staff
            ? await orders.GetAsync(staff, reference, http.RequestAborted)
            : await orders.FindAsync(reference, key, http.RequestAborted));

    private static async Task<Paged<OrderResponse>> ListAsync(HttpContext http, OrderService orders, string? status, string? search, int? page, int? pageSize)
    {
        OrderStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            filter = OrderStatusNames.Parse(status) ?? throw ValidationException.For("Status", Texts.Format("Status must be one of {0}.", OrderStatusNames.AllCodes));
        }

        var rows = await orders.ListAsync(http.Actor(), filter, search, ApiPaging.Of(page, pageSize), http.RequestAborted);
        return rows.Map(OrderResponse.From);
    }

    private static async Task<OrderResponse> Answer(Task<OrderView> decision) => OrderResponse.From(await decision);
}
