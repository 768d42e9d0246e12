using Cierto.Domain.Localization;

namespace Cierto.Domain.Billing;

/// <summary>A started card checkout: where to send the buyer.</summary>
public sealed record CardCheckout(string SessionId, string Url);

/// <summary>
/// Card payments through a provider (Stripe Checkout in Cierto.Web). Not <see cref="Enabled"/>
/// when no provider is configured: orders are then paid by bank transfer only.
/// </summary>
public interface ICardPayments
{
    bool Enabled { get; }

    /// <param name="idempotencyKey">The same key asks the provider for the same checkout again instead of a second one.</param>
    Task<CardCheckout> StartCheckoutAsync(Order order, Uri successUrl, Uri cancelUrl, string idempotencyKey, CancellationToken cancellationToken);

    Task RefundAsync(Order order, string idempotencyKey, CancellationToken cancellationToken);
}
