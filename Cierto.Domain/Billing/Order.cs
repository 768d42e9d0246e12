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

    /// <summary>A card payment arrived after the order was cancelled or its checkout had run out: no code is issued; Support refunds it.</summary>
    PaidAfterCancel = 6,

    /// <summary>Support started a card refund: the code is revoked, the provider has not confirmed yet (a failed call can be repeated).</summary>
    RefundPending = 7,
}

public enum PaymentMethod
{
    Card = 0,
    BankTransfer = 1,
}

/// <summary>What the provider says about a checkout: which one, how much, in what, and whether the money is there.</summary>
public sealed record CardPayment(string SessionId, long? AmountMinor, string? Currency, string? PaymentStatus, string? PaymentIntentId);

/// <summary>What a reported card payment did to the order. Only <see cref="Paid"/> and <see cref="PaidAfterCancel"/> changed it.</summary>
public enum CardPaymentOutcome
{
    Paid,
    PaidAfterCancel,
    AlreadyPaid,

    /// <summary>The order was paid another way (Support marked a bank transfer) and the buyer paid its checkout too: nothing changes, Support refunds the card.</summary>
    PaidTwice,
    NotCardOrder,
    NotCurrentCheckout,
    NotPaid,
    WrongAmount,
    WrongCurrency,
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

    /// <summary>How the money came: by card (the provider confirmed it) or by bank transfer (Support marked it).</summary>
    public PaymentMethod? PaidVia { get; private set; }

    public Guid? PaidById { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public Guid? ClosedById { get; private set; }

    public string? StripeSessionId { get; private set; }

    /// <summary>How many card checkouts ran out unpaid: a new checkout gets a new idempotency key, a repeated start the same one.</summary>
    public int CheckoutRound { get; private set; }

    /// <summary>How often a card refund was asked for again after the provider did not confirm it.</summary>
    public int RefundAttempt { get; private set; }

    public string? StripePaymentIntentId { get; private set; }

    /// <summary>The code this order paid for (the newest, after a re-send).</summary>
    public Guid? InviteCodeId { get; private set; }

    /// <summary>The money is with us: paid and not (yet) given back.</summary>
    public bool IsPaid => Status is OrderStatus.Paid or OrderStatus.CodeIssued or OrderStatus.PaidAfterCancel or OrderStatus.RefundPending;

    /// <summary>Nothing has been paid yet, and the order may still be paid.</summary>
    public bool AwaitsPayment => Status is OrderStatus.AwaitingPayment or OrderStatus.Expired;

    public bool CanCancel => AwaitsPayment;

    public bool CanMarkPaid => AwaitsPayment;

    public bool CanStartCheckout => PaymentMethod == PaymentMethod.Card && AwaitsPayment;

    /// <summary>The key that asks the provider for this round's checkout: the same while it is open, a new one after it ran out.</summary>
    public string CheckoutIdempotencyKey => string.Create(CultureInfo.InvariantCulture, $"checkout-{Reference}-{CheckoutRound}");

    /// <summary>
    /// The key of this refund attempt. Stripe keeps the answer of a key, failures included, so a
    /// refund asked again after a refusal needs a new one; Stripe never refunds more than was paid.
    /// </summary>
    public string RefundIdempotencyKey => RefundAttempt == 0 ? $"refund-{Reference}" : string.Create(CultureInfo.InvariantCulture, $"refund-{Reference}-{RefundAttempt}");

    /// <summary>Support may refund money we hold, unless its code already registered a company.</summary>
    public bool CanRefund(bool codeRedeemed) => IsPaid && !codeRedeemed;

    public bool CanResendCode(bool codeRedeemed) => Status == OrderStatus.CodeIssued && !codeRedeemed;

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

    /// <summary>Support saw the bank transfer arrive. True when this call recorded it; an order paid already (by either way) records nothing.</summary>
    public bool MarkPaidByTransfer(DateTimeOffset now, Guid byId)
    {
        if (Status is OrderStatus.Paid or OrderStatus.CodeIssued or OrderStatus.PaidAfterCancel)
        {
            return false;
        }

        RequireStatus(Texts.Get("Cannot mark an order paid that is {0}."), CanMarkPaid);
        RecordPayment(PaymentMethod.BankTransfer, now, byId, OrderStatus.Paid);
        return true;
    }

    /// <summary>
    /// The provider reports a completed checkout. It pays the order only when it is the order's
    /// current checkout, for exactly the order's amount and currency, and the money is there. A
    /// payment for an order that was cancelled or ran out meanwhile is kept as
    /// <see cref="OrderStatus.PaidAfterCancel"/>, for Support to refund.
    /// </summary>
    public CardPaymentOutcome PayByCard(CardPayment payment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var outcome = PaymentMethod != PaymentMethod.Card ? CardPaymentOutcome.NotCardOrder
            : StripeSessionId is null || payment.SessionId != StripeSessionId ? CardPaymentOutcome.NotCurrentCheckout
            : payment.PaymentStatus != "paid" ? CardPaymentOutcome.NotPaid
            : payment.AmountMinor != AmountMinor ? CardPaymentOutcome.WrongAmount
            : !string.Equals(payment.Currency, Currency, StringComparison.OrdinalIgnoreCase) ? CardPaymentOutcome.WrongCurrency
            : Status switch
            {
                OrderStatus.AwaitingPayment => CardPaymentOutcome.Paid,
                OrderStatus.Expired or OrderStatus.Cancelled => CardPaymentOutcome.PaidAfterCancel,
                _ when PaidVia != PaymentMethod.Card => CardPaymentOutcome.PaidTwice,
                _ => CardPaymentOutcome.AlreadyPaid,
            };
        if (outcome is CardPaymentOutcome.Paid or CardPaymentOutcome.PaidAfterCancel)
        {
            StripePaymentIntentId ??= payment.PaymentIntentId;
            RecordPayment(PaymentMethod.Card, now, null, outcome == CardPaymentOutcome.Paid ? OrderStatus.Paid : OrderStatus.PaidAfterCancel);
        }

        return outcome;
    }

    /// <summary>The code this payment bought (or, after a re-send, its replacement).</summary>
    public void CodeIssued(Guid inviteCodeId)
    {
        RequireStatus(Texts.Get("Cannot issue a code for an order that is {0}."), Status is OrderStatus.Paid or OrderStatus.CodeIssued);
        InviteCodeId = inviteCodeId;
        Status = OrderStatus.CodeIssued;
    }

    public void StartCheckout(string sessionId)
    {
        RequireStatus(Texts.Get("Cannot start a card payment for an order that is {0}."), CanStartCheckout);
        StripeSessionId = sessionId;
        Status = OrderStatus.AwaitingPayment;
    }

    /// <summary>Only the checkout the order is waiting for can expire it; the next checkout is a new round.</summary>
    public bool ExpireCheckout(string sessionId)
    {
        if (Status != OrderStatus.AwaitingPayment || StripeSessionId != sessionId)
        {
            return false;
        }

        Status = OrderStatus.Expired;
        CheckoutRound++;
        return true;
    }

    public void Cancel(DateTimeOffset now, Guid byId)
    {
        RequireStatus(Texts.Get("Cannot cancel an order that is {0}."), CanCancel);
        Status = OrderStatus.Cancelled;
        ClosedAt = now;
        ClosedById = byId;
    }

    /// <summary>A card refund is asked of the provider: from here the code is revoked and the order waits for the provider (or a repeated attempt).</summary>
    public void BeginRefund(DateTimeOffset now, Guid byId)
    {
        RequireStatus(Texts.Get("Cannot refund an order that is {0}."), IsPaid && PaidVia == PaymentMethod.Card);
        Status = OrderStatus.RefundPending;
        ClosedAt = now;
        ClosedById = byId;
    }

    /// <summary>The provider refused the refund: the next attempt asks with a new key (the provider keeps a key's refusal).</summary>
    public void RefundRefused()
    {
        RequireStatus(Texts.Get("Cannot refund an order that is {0}."), Status == OrderStatus.RefundPending);
        RefundAttempt++;
    }

    /// <summary>The money went back (a bank transfer returned by hand, or the provider confirmed it). True when this call recorded it.</summary>
    public bool Refund(DateTimeOffset now, Guid? byId)
    {
        if (Status == OrderStatus.Refunded)
        {
            return false;
        }

        RequireStatus(Texts.Get("Cannot refund an order that is {0}."), IsPaid);
        Status = OrderStatus.Refunded;
        ClosedAt = now;
        ClosedById = byId ?? ClosedById;
        return true;
    }

    private void RecordPayment(PaymentMethod via, DateTimeOffset now, Guid? byId, OrderStatus status)
    {
        PaidAt = now;
        PaidVia = via;
        PaidById = byId;
        Status = status;
    }

    /// <summary>Refuses with <paramref name="refusal"/> (in the reader's language, <c>{0}</c> the current status) unless <paramref name="allowed"/>.</summary>
    private void RequireStatus(string refusal, bool allowed)
    {
        if (!allowed)
        {
            throw new DomainException("invalid_status", string.Format(CultureInfo.CurrentCulture, refusal, OrderStatusNames.Describe(Status)));
        }
    }
}

/// <summary>Who buys: already validated and normalised.</summary>
public sealed record OrderDetails(string CompanyIdentificationNumber, string CompanyName, string ContactName, string ContactEmail, string BillingAddress, string? VatId);
