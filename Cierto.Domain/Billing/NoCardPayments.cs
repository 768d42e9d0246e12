using Cierto.Domain.Localization;

namespace Cierto.Domain.Billing;

/// <summary>No card provider configured.</summary>
public sealed class NoCardPayments : ICardPayments
{
    public bool Enabled => false;

    public Task<CardCheckout> StartCheckoutAsync(Order order, Uri successUrl, Uri cancelUrl, string idempotencyKey, CancellationToken cancellationToken) =>
        throw new Common.DomainException("card_payments_unavailable", Texts.Get("Card payments are not available; pay by bank transfer."));

    public Task RefundAsync(Order order, string idempotencyKey, CancellationToken cancellationToken) =>
        throw new Common.DomainException("card_payments_unavailable", Texts.Get("Card refunds are not available here; refund the payment with the provider and mark the order refunded."));
}
