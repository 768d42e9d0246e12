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
    PaymentMethod? PaidVia,
    DateTimeOffset? ClosedAt,
    InviteCodeState? CodeState)
{
    public string Amount => Money.Format(AmountMinor, Currency);

    public string StatusCode => OrderStatusNames.Code(Status);

    public string StatusText => OrderStatusNames.Describe(Status);

    // What may be done next, as the order itself decides (Order.Can…), so pages and API never restate the rules.
    public bool CanRefund { get; init; }

    public bool CanCancel { get; init; }

    public bool CanMarkPaid { get; init; }

    public bool CanResendCode { get; init; }

    public bool CanStartCheckout { get; init; }

    public bool AwaitsPayment { get; init; }

    public bool IsPaid { get; init; }
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

        // Whether the number is already a customer is not told here (anyone may place an order): it is decided at payment.
        // Each order mails its buyer, so a site-wide budget per day keeps Cierto from being made to mail a flood of addresses.
        var since = time.GetUtcNow().AddDays(-1);
        if (await db.Orders.CountAsync(o => o.CreatedAt > since, cancellationToken) >= Billing.DailyOrderLimit)
        {
            throw new DomainException("orders_paused", Texts.Get("We are taking no more orders today. Please try again tomorrow, or write to us."));
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
            if (order.MarkPaidByTransfer(now, actor.UserId))
            {
                db.Record(now, actor, null, "order.marked-paid", nameof(Order), order.Id, order.Reference);
                await IssueCodeAsync(order, actor, now, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The provider reports a completed checkout (paid at once, or an async payment that succeeded).
    /// Only the order's own current checkout, paid in full in the order's currency, pays it; anything
    /// else is recorded in the audit log and changes nothing. A payment for a cancelled or run-out
    /// order is kept as paid after cancel, with no code, for Support to refund.
    /// </summary>
    public Task<OrderView> CardPaidAsync(string? reference, CardPayment payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentException.ThrowIfNullOrEmpty(payment.SessionId);
        return DecideAsync(reference, async (order, now) =>
        {
            var outcome = order.PayByCard(payment, now);
            var detail = $"{order.Reference} session {payment.SessionId} {Money.Format(payment.AmountMinor ?? 0, payment.Currency ?? "?")} {payment.PaymentStatus}";
            switch (outcome)
            {
                case CardPaymentOutcome.Paid:
                    db.Record(now, null, null, "order.paid-by-card", nameof(Order), order.Id, detail);
                    await IssueCodeAsync(order, null, now, cancellationToken);
                    break;
                case CardPaymentOutcome.PaidAfterCancel:
                    db.Record(now, null, null, "order.paid-after-cancel", nameof(Order), order.Id, $"{detail}: no code issued; refund it");
                    break;
                case CardPaymentOutcome.AlreadyPaid:
                    break; // the same payment reported again (completed, then async succeeded; a retry)
                case CardPaymentOutcome.PaidTwice:
                    db.Record(now, null, null, "order.paid-twice", nameof(Order), order.Id, $"{detail} payment {payment.PaymentIntentId}: the order was already paid by {OrderStatusNames.Method(order.PaidVia!.Value)}; refund this card payment in the Stripe dashboard");
                    break;
                default:
                    db.Record(now, null, null, "order.card-payment-refused", nameof(Order), order.Id, $"{detail}: {RefusalReason(outcome)}");
                    break;
            }
        }, cancellationToken);
    }

    /// <summary>A provider event that names no order of this installation: kept for Support, nothing else.</summary>
    public async Task UnmatchedCardEventAsync(string eventType, string? reference, string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        var named = reference is { Length: > 64 } ? reference[..64] + "…" : reference;
        db.Record(time.GetUtcNow(), null, null, "order.card-event-unmatched", nameof(Order), null, $"{eventType} {objectId} names order '{named}', which is not ours");
        await db.SaveChangesAsync(cancellationToken);
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
            if (order.Status == OrderStatus.Refunded)
            {
                return; // our own refund, confirmed
            }

            if (!order.IsPaid)
            {
                db.Record(now, null, null, "order.card-refund-unexpected", nameof(Order), order.Id, $"{order.Reference} is {OrderStatusNames.Code(order.Status)}; the provider reports payment {paymentIntentId} refunded");
                return;
            }

            if (!await RevokeUnusedCodeAsync(order, now, cancellationToken))
            {
                // Refunded from the provider's dashboard after the code registered a company: nothing to undo here, but Support must know.
                db.Record(now, null, null, "order.refunded-after-registration", nameof(Order), order.Id, $"{order.Reference}: the provider refunded payment {paymentIntentId}, but its code already registered a company");
            }

            order.Refund(now, null);
            db.Record(now, null, null, "order.refunded", nameof(Order), order.Id, $"{order.Reference} by the provider");
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
    /// Refunds a paid order whose code is unused, and revokes the code. The code is revoked under
    /// the order's lock by a conditional update that a redemption at the same moment races in the
    /// database, so exactly one of them wins: a code that registered a company is never refunded,
    /// and a refunded code never registers one. A card refund then goes to the provider (outside the
    /// transaction: it is slow, and its idempotency key makes a repeat harmless); until it answers
    /// the order is refund pending, and a failed call can be repeated. A bank transfer is marked
    /// refunded (the money goes back by hand).
    /// </summary>
    public async Task<OrderView> RefundAsync(Actor actor, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        var byCard = false;
        var view = await DecideAsync(reference, async (order, now) =>
        {
            if (!order.IsPaid)
            {
                throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; only a paid order can be refunded.", order.Reference, OrderStatusNames.Describe(order.Status)));
            }

            if (!await RevokeUnusedCodeAsync(order, now, cancellationToken))
            {
                throw new DomainException("code_used", Texts.Format("The code of order {0} was already used to register {1}; it cannot be refunded here.", order.Reference, order.CompanyName));
            }

            byCard = order.PaidVia == PaymentMethod.Card;
            if (byCard)
            {
                order.BeginRefund(now, actor.UserId);
                db.Record(now, actor, null, "order.refund-started", nameof(Order), order.Id, $"{order.Reference} key {order.RefundIdempotencyKey}");
            }
            else
            {
                order.Refund(now, actor.UserId);
                db.Record(now, actor, null, "order.refunded", nameof(Order), order.Id, order.Reference);
            }
        }, cancellationToken);
        if (!byCard)
        {
            return view;
        }

        var pending = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == view.Id, cancellationToken);
        try
        {
            await cards.RefundAsync(pending, pending.RefundIdempotencyKey, cancellationToken);
        }
        catch (DomainException refused) when (refused.Code == "card_provider_failed")
        {
            await DecideAsync(reference, (order, now) =>
            {
                if (order.Status == OrderStatus.RefundPending)
                {
                    order.RefundRefused();
                    db.Record(now, actor, null, "order.refund-refused", nameof(Order), order.Id, $"{order.Reference} key {pending.RefundIdempotencyKey}");
                }

                return Task.CompletedTask;
            }, cancellationToken);
            throw;
        }
        return await DecideAsync(reference, (order, now) =>
        {
            if (order.Refund(now, actor.UserId))
            {
                db.Record(now, actor, null, "order.refunded", nameof(Order), order.Id, order.Reference);
            }

            return Task.CompletedTask;
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

        if (!order.CanStartCheckout)
        {
            throw new DomainException("invalid_status", Texts.Format("Order {0} is {1}; there is nothing to pay.", order.Reference, OrderStatusNames.Describe(order.Status)));
        }

        // The same key while a checkout is open (a double click gets the same checkout back), a new one after it expired.
        var checkout = await cards.StartCheckoutAsync(order, successUrl, cancelUrl, order.CheckoutIdempotencyKey, cancellationToken);
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
        Order order;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockOrderAsync(id, cancellationToken);
            order = await db.Orders.SingleAsync(o => o.Id == id, cancellationToken);
            await decide(order, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            // Each decision is its own unit of work: a later one in this scope (a refund's second step) reads the order afresh, not a copy left tracked.
            db.ChangeTracker.Clear();
        }

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

    /// <summary>
    /// Revokes the order's code unless it registered a company: one conditional update, which a
    /// redemption of the same code (also one conditional update) waits for or wins. False when the
    /// code was redeemed.
    /// </summary>
    private async Task<bool> RevokeUnusedCodeAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order.InviteCodeId is not { } codeId)
        {
            return true;
        }

        var revoked = await db.InviteCodes.Where(i => i.Id == codeId && i.RedeemedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.RevokedAt, now), cancellationToken);
        return revoked == 1 || !await db.InviteCodes.AnyAsync(i => i.Id == codeId && i.RedeemedAt != null, cancellationToken);
    }

    private static string RefusalReason(CardPaymentOutcome outcome) => outcome switch
    {
        CardPaymentOutcome.NotCardOrder => "the order is not paid by card",
        CardPaymentOutcome.NotCurrentCheckout => "not the checkout Cierto started for this order",
        CardPaymentOutcome.NotPaid => "the session is not paid",
        CardPaymentOutcome.WrongAmount => "the amount is not the order's",
        CardPaymentOutcome.WrongCurrency => "the currency is not the order's",
        _ => outcome.ToString(),
    };

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

    private static OrderView View(Order o, InviteCodeState? codeState)
    {
        var redeemed = codeState == InviteCodeState.Redeemed;
        return new(
            o.Id, o.Reference, o.Status, o.PlanId, o.PlanName, o.AmountMinor, o.Currency, o.PaymentMethod, o.CompanyIdentificationNumber, o.CompanyName,
            o.ContactName, o.ContactEmail, o.BillingAddress, o.VatId, o.CreatedAt, o.PaidAt, o.PaidVia, o.ClosedAt, codeState)
        {
            CanRefund = o.CanRefund(redeemed),
            CanCancel = o.CanCancel,
            CanMarkPaid = o.CanMarkPaid,
            CanResendCode = o.CanResendCode(redeemed),
            CanStartCheckout = o.CanStartCheckout,
            AwaitsPayment = o.AwaitsPayment,
            IsPaid = o.IsPaid,
        };
    }
}
