using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Billing;

public sealed record OrderInput(string? PlanId, string? CompanyIdentificationNumber, string? CompanyName, string? ContactName, string? ContactEmail, string? BillingAddress, string? VatId, string? PaymentMethod);

public sealed record OrderView(
    Guid Id,
    string Reference,
    OrderStatus Status,
    string PlanId,
    string PlanName,
    long AmountMinor,
    string Currency,
    PaymentMethod PaymentMethod,
    string CompanyIdentificationNumber,
    string CompanyName,
    string ContactName,
    string ContactEmail,
    string BillingAddress,
    string? VatId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    string? PaidVia,
    DateTimeOffset? ClosedAt,
    InviteCodeState? CodeState)
{
    public string Amount => Money.Format(AmountMinor, Currency);

    public string StatusCode => OrderStatusNames.Code(Status);

    public string StatusText => OrderStatusNames.Describe(Status);

    /// <summary>Support may refund a paid order whose code nobody used yet.</summary>
    public bool CanRefund => Status is OrderStatus.Paid or OrderStatus.CodeIssued && CodeState is not InviteCodeState.Redeemed;

    public bool CanCancel => Status is OrderStatus.AwaitingPayment or OrderStatus.Expired;

    public bool CanMarkPaid => Status is OrderStatus.AwaitingPayment or OrderStatus.Expired;

    public bool CanResendCode => Status == OrderStatus.CodeIssued && CodeState is not InviteCodeState.Redeemed;

    public bool IsPaid => Status is OrderStatus.Paid or OrderStatus.CodeIssued;
}

public sealed record PlacedOrder(OrderView Order, string Secret);

/// <summary>
/// Buying an invite code: anyone places an order; it is paid by card (the provider's webhook
/// confirms it) or by bank transfer (Support marks it). Payment, the invite code and the mail
/// that carries it commit together, under a row lock on the order, so paying twice (a retried
/// webhook, two Support clicks, a webhook racing a click) issues one code.
/// </summary>
public sealed class OrderService(CiertoDbContext db, IOptions<BillingSettings> settings, ICardPayments cards, IValidator<OrderInput> rules, TimeProvider time)
{
    private const int MaxPlaceAttempts = 5;

    private BillingSettings Billing => settings.Value;

    public async Task<PlacedOrder> PlaceAsync(OrderInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (plan, details, method) = Validate(input);
        if (await db.Companies.AnyAsync(c => c.IdentificationNumber == details.CompanyIdentificationNumber, cancellationToken))
        {
            throw ValidationException.For("CompanyIdentificationNumber", Texts.Get("A company with this identification number is already registered with Cierto. Its admin can sign in; ask Support if you need help."));
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var number = (await db.Orders.MaxAsync(o => (int?)o.Number, cancellationToken) ?? 0) + 1;
            var (order, secret) = Order.Place(number, plan, details, method, now, Localization.Languages.Current);
            db.Orders.Add(order);
            db.Record(now, null, null, "order.placed", nameof(Order), order.Id, $"{order.Reference} {plan.Id} {OrderStatusNames.Method(method)}");
            db.Enqueue(new OrderPlaced(order.Id, secret), now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new PlacedOrder(View(order, null), secret);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex) && attempt < MaxPlaceAttempts)
            {
                db.ChangeTracker.Clear(); // another order took the number: take the next
            }
        }
    }

    /// <summary>The buyer's view, with the secret from the mailed link; a wrong secret reads like a missing order.</summary>
    public async Task<OrderView> FindAsync(string? reference, string? secret, CancellationToken cancellationToken = default)
    {
        var order = await OrderAsync(reference, cancellationToken);
        return order is not null && order.HasSecret(secret) ? await ViewAsync(order, cancellationToken) : throw new NotFoundException("Order");
    }

    public async Task<OrderView> GetAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        return await ViewAsync(await OrderAsync(reference, cancellationToken) ?? throw new NotFoundException("Order"), cancellationToken);
    }

    public async Task<Paged<OrderView>> ListAsync(Actor actor, OrderStatus? status, string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireStaff();
        var query = db.Orders.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(o => o.Status == s);
        }

        if (Text.SearchTerm(search) is { } term)
        {
            var upper = term.ToUpperInvariant();
            var lower = term.ToLowerInvariant();
            query = query.Where(o => o.Reference.Contains(upper) || o.CompanyIdentificationNumber.Contains(upper) || o.CompanyName.ToLower().Contains(lower) || o.ContactEmail.Contains(lower));
        }

        var orders = await query.OrderByDescending(o => o.Number).ToPagedAsync(page, cancellationToken);
        var codes = await CodeStatesAsync(orders.Items.Where(o => o.InviteCodeId is not null).Select(o => o.InviteCodeId!.Value).ToList(), cancellationToken);
        return orders.Map(o => View(o, o.InviteCodeId is { } id && codes.TryGetValue(id, out var state) ? state : null));
    }

    /// <summary>Support saw the bank transfer arrive. Marking twice issues nothing more.</summary>
    public async Task<OrderView> MarkPaidAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        return await DecideAsync(reference, async (order, now) =>
        {
            if (order.Status is OrderStatus.Cancelled or OrderStatus.Refunded)
            {
                throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; it cannot be marked paid.", order.Reference, OrderStatusNames.Describe(order.Status)));
            }

            if (order.MarkPaid(now, "bank_transfer", actor.UserId))
            {
                db.Record(now, actor, null, "order.marked-paid", nameof(Order), order.Id, order.Reference);
                await IssueCodeAsync(order, actor, now, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>The provider confirmed a card payment (checkout completed and paid, or an async payment succeeded).</summary>
    public Task<OrderView> CardPaidAsync(string? reference, string sessionId, string? paymentIntentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return DecideAsync(reference, async (order, now) =>
        {
            order.RecordPaymentIntent(paymentIntentId);
            if (order.MarkPaid(now, "card", null))
            {
                db.Record(now, null, null, "order.paid-by-card", nameof(Order), order.Id, $"{order.Reference} session {sessionId}");
                await IssueCodeAsync(order, null, now, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>The checkout the order waits for ran out; the buyer may start another.</summary>
    public Task<OrderView> CheckoutExpiredAsync(string? reference, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return DecideAsync(reference, (order, now) =>
        {
            if (order.ExpireCheckout(sessionId))
            {
                db.Record(now, null, null, "order.checkout-expired", nameof(Order), order.Id, $"{order.Reference} session {sessionId}");
            }

            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>A delayed card payment (e.g. a bank debit) failed: recorded; the order still waits.</summary>
    public Task<OrderView> CardPaymentFailedAsync(string? reference, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return DecideAsync(reference, (order, now) =>
        {
            db.Record(now, null, null, "order.card-payment-failed", nameof(Order), order.Id, $"{order.Reference} session {sessionId}");
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The provider reports the charge refunded (by us, or from its dashboard): the order is refunded and its unused code revoked.</summary>
    public async Task CardRefundedAsync(string paymentIntentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentIntentId);
        var reference = await db.Orders.Where(o => o.StripePaymentIntentId == paymentIntentId).Select(o => o.Reference).FirstOrDefaultAsync(cancellationToken);
        if (reference is null)
        {
            return; // not one of ours (or not yet known): nothing to undo
        }

        await DecideAsync(reference, async (order, now) =>
        {
            if (order.Status != OrderStatus.Refunded)
            {
                await RefundLockedAsync(order, null, now, cancellationToken);
            }
        }, cancellationToken);
    }

    public async Task<OrderView> CancelAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        return await DecideAsync(reference, (order, now) =>
        {
            order.Cancel(now, actor.UserId);
            db.Record(now, actor, null, "order.cancelled", nameof(Order), order.Id, order.Reference);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>
    /// Refunds a paid order whose code is unused, and revokes the code: a card payment through the
    /// provider (the provider's own refund event then finds the order refunded already), a bank
    /// transfer marked refunded (the money goes back by hand).
    /// </summary>
    public async Task<OrderView> RefundAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        var order = await OrderAsync(reference, cancellationToken) ?? throw new NotFoundException("Order");
        await RequireRefundableAsync(order, cancellationToken);
        if (order.PaidVia == "card")
        {
            // Outside the transaction: the provider is slow and its idempotency key makes a repeat harmless.
            await cards.RefundAsync(order, $"refund-{order.Reference}", cancellationToken);
        }

        return await DecideAsync(reference, async (locked, now) =>
        {
            if (locked.Status != OrderStatus.Refunded)
            {
                await RefundLockedAsync(locked, actor, now, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>A new code for a paid order (the buyer lost the mail, or it went to a wrong address): the old one is revoked.</summary>
    public async Task<OrderView> ResendCodeAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        return await DecideAsync(reference, async (order, now) =>
        {
            if (order.Status != OrderStatus.CodeIssued)
            {
                throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; only an order whose code was sent can get a new one.", order.Reference, OrderStatusNames.Describe(order.Status)));
            }

            var old = await db.InviteCodes.SingleAsync(i => i.Id == order.InviteCodeId, cancellationToken);
            if (old.RedeemedAt is not null)
            {
                throw new DomainException("code_used", Texts.Format("The code of order {0} was already used to register {1}.", order.Reference, order.CompanyName));
            }

            if (old.RevokedAt is null)
            {
                old.Revoke(now);
            }

            db.Record(now, actor, null, "order.code-resent", nameof(Order), order.Id, order.Reference);
            await IssueCodeAsync(order, actor, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Starts (or starts again, after it expired) the card checkout of an order the buyer holds.</summary>
    public async Task<CardCheckout> StartCardCheckoutAsync(string? reference, string? secret, Uri successUrl, Uri cancelUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(successUrl);
        ArgumentNullException.ThrowIfNull(cancelUrl);
        var order = await OrderAsync(reference, cancellationToken);
        if (order is null || !order.HasSecret(secret))
        {
            throw new NotFoundException("Order");
        }

        if (!cards.Enabled)
        {
            throw new DomainException("card_payments_unavailable", Texts.Get("Card payments are not available; pay by bank transfer with the invoice."));
        }

        if (order.Status is not (OrderStatus.AwaitingPayment or OrderStatus.Expired))
        {
            throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; there is nothing to pay.", order.Reference, OrderStatusNames.Describe(order.Status)));
        }

        // The same key while a checkout is open (a double click gets the same checkout back), a new one after it expired.
        var round = await db.AuditEntries.CountAsync(a => a.Action == "order.checkout-expired" && a.TargetId == order.Id.ToString(), cancellationToken);
        var checkout = await cards.StartCheckoutAsync(order, successUrl, cancelUrl, $"checkout-{order.Reference}-{round}", cancellationToken);
        await DecideAsync(order.Reference, (locked, now) =>
        {
            if (locked.StripeSessionId != checkout.SessionId)
            {
                locked.StartCheckout(checkout.SessionId);
                db.Record(now, null, null, "order.checkout-started", nameof(Order), locked.Id, $"{locked.Reference} session {checkout.SessionId}");
            }

            return Task.CompletedTask;
        }, cancellationToken);
        return checkout;
    }

    private (Plan Plan, OrderDetails Details, PaymentMethod Method) Validate(OrderInput input)
    {
        rules.ThrowIfInvalid(input);
        var vat = string.IsNullOrWhiteSpace(input.VatId) ? null : input.VatId.Trim().ToUpperInvariant();
        var details = new OrderDetails(
            Company.NormalizeIdentificationNumber(input.CompanyIdentificationNumber!.Trim()),
            input.CompanyName!.Trim(),
            input.ContactName!.Trim(),
            input.ContactEmail!.Trim().ToLowerInvariant(),
            Order.NormalizeLineBreaks(input.BillingAddress)!.Trim(),
            vat);
        return (Billing.Find(input.PlanId)!, details, OrderStatusNames.ParseMethod(input.PaymentMethod)!.Value);
    }

    /// <summary>Runs one decision about an order in a transaction under the order's row lock.</summary>
    private async Task<OrderView> DecideAsync(string? reference, Func<Order, DateTimeOffset, Task> decide, CancellationToken cancellationToken)
    {
        var id = await db.Orders.Where(o => o.Reference == Normalize(reference)).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Order");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockOrderAsync(id, cancellationToken);
        var order = await db.Orders.SingleAsync(o => o.Id == id, cancellationToken);
        await decide(order, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await ViewAsync(order, cancellationToken);
    }

    /// <summary>Issues the order's invite code and queues its mail; without a code when a company with the number registered meanwhile.</summary>
    private async Task IssueCodeAsync(Order order, Actor? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Companies.AnyAsync(c => c.IdentificationNumber == order.CompanyIdentificationNumber, cancellationToken))
        {
            db.Record(now, actor, null, "order.paid-company-exists", nameof(Order), order.Id, $"{order.Reference}: {order.CompanyIdentificationNumber} registered meanwhile; refund it");
            return;
        }

        var (invite, plain) = InviteCode.Issue(order.CompanyIdentificationNumber, TimeSpan.FromDays(Billing.InviteValidDays), now, actor?.UserId, InviteCodeSource.Purchase, order.ContactEmail);
        db.InviteCodes.Add(invite);
        order.CodeIssued(invite.Id);
        db.Record(now, actor, null, "invite-code.issued", nameof(InviteCode), invite.Id, $"for {order.CompanyIdentificationNumber}, order {order.Reference}, expires {invite.ExpiresAt:O}");
        db.Enqueue(new InviteCodeIssued(invite.Id, order.ContactEmail, Codes.Format(plain), order.CompanyIdentificationNumber, invite.ExpiresAt, order.Language), now);
    }

    private async Task RequireRefundableAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status is not (OrderStatus.Paid or OrderStatus.CodeIssued))
        {
            throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; only a paid order can be refunded.", order.Reference, OrderStatusNames.Describe(order.Status)));
        }

        if (order.InviteCodeId is { } codeId && await db.InviteCodes.AnyAsync(i => i.Id == codeId && i.RedeemedAt != null, cancellationToken))
        {
            throw new DomainException("code_used", Texts.Format("The code of order {0} was already used to register {1}; it cannot be refunded here.", order.Reference, order.CompanyName));
        }
    }

    private async Task RefundLockedAsync(Order order, Actor? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order.InviteCodeId is { } codeId)
        {
            var code = await db.InviteCodes.SingleAsync(i => i.Id == codeId, cancellationToken);
            if (code.RedeemedAt is null && code.RevokedAt is null)
            {
                code.Revoke(now);
            }
        }

        order.Refunded(now, actor?.UserId);
        db.Record(now, actor, null, "order.refunded", nameof(Order), order.Id, order.Reference);
    }

    private Task<Order?> OrderAsync(string? reference, CancellationToken cancellationToken)
    {
        var normalized = Normalize(reference);
        return normalized.Length == 0 ? Task.FromResult<Order?>(null) : db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Reference == normalized, cancellationToken);
    }

    private static string Normalize(string? reference) => reference?.Trim().ToUpperInvariant() ?? string.Empty;

    private async Task<OrderView> ViewAsync(Order order, CancellationToken cancellationToken)
    {
        var codes = order.InviteCodeId is { } id ? await CodeStatesAsync([id], cancellationToken) : [];
        return View(order, order.InviteCodeId is { } codeId && codes.TryGetValue(codeId, out var state) ? state : null);
    }

    private async Task<Dictionary<Guid, InviteCodeState>> CodeStatesAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var rows = await db.InviteCodes.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.RedeemedAt, i.RevokedAt, i.ExpiresAt }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => InviteCodeService.StateOf(r.RedeemedAt, r.RevokedAt, r.ExpiresAt, now));
    }

    private static OrderView View(Order o, InviteCodeState? codeState) => new(
        o.Id, o.Reference, o.Status, o.PlanId, o.PlanName, o.AmountMinor, o.Currency, o.PaymentMethod, o.CompanyIdentificationNumber, o.CompanyName,
        o.ContactName, o.ContactEmail, o.BillingAddress, o.VatId, o.CreatedAt, o.PaidAt, o.PaidVia, o.ClosedAt, codeState);
}
