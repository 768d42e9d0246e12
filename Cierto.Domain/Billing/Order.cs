using System.Globalization;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Billing;

public enum OrderStatus
{
    AwaitingPayment = 0,

    /// <summary>Paid, but no code could be issued (a company with the number registered meanwhile): Support refunds.</summary>
    Paid = 1,
    CodeIssued = 2,
    Cancelled = 3,
    Refunded = 4,

    /// <summary>The card checkout ran out before it was paid; the buyer may start a new one.</summary>
    Expired = 5,
}

public enum PaymentMethod
{
    Card = 0,
    BankTransfer = 1,
}

/// <summary>
/// A company buying an invite code. The buyer reaches it with its reference and a secret (only
/// the hash is stored), mailed when the order is placed. Payment, the code it pays for and the
/// mail of the code are committed together; a second payment of the same order issues nothing.
/// </summary>
public sealed class Order
{
    public const int ReferenceMaxLength = 20;
    public const int NameMaxLength = 200;
    public const int AddressMaxLength = 500;
    public const int VatIdMaxLength = 32;

    /// <summary>An address as stored and measured: line breaks as <c>\n</c>, whatever the browser sent.</summary>
    public static string? NormalizeLineBreaks(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal);

    private Order()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Sequential per database, for invoices; the reference shows it.</summary>
    public int Number { get; private set; }

    /// <summary>CI-2026-000123.</summary>
    public string Reference { get; private set; } = string.Empty;

    public string SecretHash { get; private set; } = string.Empty;

    public string PlanId { get; private set; } = string.Empty;

    public string PlanName { get; private set; } = string.Empty;

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = string.Empty;

    public string CompanyIdentificationNumber { get; private set; } = string.Empty;

    public string CompanyName { get; private set; } = string.Empty;

    public string ContactName { get; private set; } = string.Empty;

    public string ContactEmail { get; private set; } = string.Empty;

    public string BillingAddress { get; private set; } = string.Empty;

    /// <summary>The language the buyer ordered in: the order's mail (and the invite code) is written in it.</summary>
    public string Language { get; private set; } = Localization.Languages.English;

    public string? VatId { get; private set; }

    public PaymentMethod PaymentMethod { get; private set; }

    public OrderStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>"card" (Stripe confirmed it) or "bank_transfer" (Support marked it).</summary>
    public string? PaidVia { get; private set; }

    public Guid? PaidById { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public Guid? ClosedById { get; private set; }

    public string? StripeSessionId { get; private set; }

    public string? StripePaymentIntentId { get; private set; }

    /// <summary>The code this order paid for (the newest, after a re-send).</summary>
    public Guid? InviteCodeId { get; private set; }

    public bool IsPaid => PaidAt is not null;

    public static string ReferenceFor(int number, DateTimeOffset createdAt) =>
        string.Create(CultureInfo.InvariantCulture, $"CI-{createdAt.UtcDateTime.Year}-{number:D6}");

    public static (Order Order, string Secret) Place(int number, Plan plan, OrderDetails details, PaymentMethod method, DateTimeOffset now, string language = Localization.Languages.English)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(details);
        var secret = Codes.Generate(32);
        var order = new Order
        {
            Id = Guid.CreateVersion7(now),
            Number = number,
            Reference = ReferenceFor(number, now),
            SecretHash = Codes.Hash(secret),
            PlanId = plan.Id,
            PlanName = plan.Name,
            AmountMinor = plan.AmountMinor,
            Currency = plan.Currency.ToUpperInvariant(),
            CompanyIdentificationNumber = details.CompanyIdentificationNumber,
            CompanyName = details.CompanyName,
            ContactName = details.ContactName,
            ContactEmail = details.ContactEmail,
            BillingAddress = details.BillingAddress,
            VatId = details.VatId,
            PaymentMethod = method,
            Status = OrderStatus.AwaitingPayment,
            CreatedAt = now,
            Language = Localization.Languages.Supported(language) ?? Localization.Languages.English,
        };
        return (order, secret);
    }

    public bool HasSecret(string? secret) => secret is { Length: > 0 } && Codes.HashEquals(SecretHash, secret);

    /// <summary>The first payment counts; true when this call recorded it.</summary>
    public bool MarkPaid(DateTimeOffset now, string via, Guid? byId)
    {
        if (IsPaid)
        {
            return false;
        }

        PaidAt = now;
        PaidVia = via;
        PaidById = byId;
        Status = OrderStatus.Paid;
        return true;
    }

    public void CodeIssued(Guid inviteCodeId)
    {
        InviteCodeId = inviteCodeId;
        Status = OrderStatus.CodeIssued;
    }

    public void StartCheckout(string sessionId)
    {
        RequireStatus(Texts.Get("Cannot start a card payment for an order that is {0}."), OrderStatus.AwaitingPayment, OrderStatus.Expired);
        StripeSessionId = sessionId;
        Status = OrderStatus.AwaitingPayment;
    }

    public void RecordPaymentIntent(string? paymentIntentId) => StripePaymentIntentId ??= paymentIntentId;

    /// <summary>Only the checkout the order is waiting for can expire it.</summary>
    public bool ExpireCheckout(string sessionId)
    {
        if (Status != OrderStatus.AwaitingPayment || StripeSessionId != sessionId)
        {
            return false;
        }

        Status = OrderStatus.Expired;
        return true;
    }

    public void Cancel(DateTimeOffset now, Guid byId)
    {
        RequireStatus(Texts.Get("Cannot cancel an order that is {0}."), OrderStatus.AwaitingPayment, OrderStatus.Expired);
        Status = OrderStatus.Cancelled;
        ClosedAt = now;
        ClosedById = byId;
    }

    public void Refunded(DateTimeOffset now, Guid? byId)
    {
        Status = OrderStatus.Refunded;
        ClosedAt = now;
        ClosedById = byId;
    }

    /// <summary>Refuses with <paramref name="refusal"/> (in the reader's language, <c>{0}</c> the current status) unless the order is in one of <paramref name="allowed"/>.</summary>
    private void RequireStatus(string refusal, params OrderStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new DomainException("invalid_status", string.Format(CultureInfo.CurrentCulture, refusal, OrderStatusNames.Describe(Status)));
        }
    }
}

/// <summary>Who buys: already validated and normalised.</summary>
public sealed record OrderDetails(string CompanyIdentificationNumber, string CompanyName, string ContactName, string ContactEmail, string BillingAddress, string? VatId);
