using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Data.Configurations;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using Cierto.Domain.Telemetry;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Usage;

public enum ActivationStatus
{
    Activated,
    InvalidCode,
    InUse,
    Unavailable,
    LimitReached,
    Throttled,

    /// <summary>Someone else has booked the item for now (see <see cref="ActivationResult.FreeAt"/>).</summary>
    Booked,
}

public sealed record ActivationResult(ActivationStatus Status, string Message, Guid? SessionId = null, Guid? EquipmentId = null, string? EquipmentName = null, DateTimeOffset? StartedAt = null, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Status == ActivationStatus.Activated;

    /// <summary>
    /// The worker already held the item (a repeated request: a second tap, a retry after a lost
    /// answer): success again with the same session, nothing new recorded.
    /// </summary>
    public bool AlreadyHeld { get; init; }

    /// <summary>For <see cref="ActivationStatus.Booked"/>: when the item is free again for this worker.</summary>
    public DateTimeOffset? FreeAt { get; init; }
}

public enum ReleaseStatus
{
    Released,
    AlreadyEnded,
}

/// <summary>
/// Starting and ending the use of an item. Who may hold an item is settled by the database:
/// the partial unique index on active sessions lets exactly one of any number of concurrent
/// activations commit, and ending a session is a conditional update that only one caller wins.
/// </summary>
public sealed class UsageService(CiertoDbContext db, ActivationThrottle throttle, IEventBus events, IValidator<ForceReleaseRequest> reasonRules, UsageMetrics metrics, TimeProvider time)
{
    public async Task<ActivationResult> ActivateAsync(Actor actor, string? activationCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsWorker)
        {
            throw new ForbiddenException("Only workers activate equipment.");
        }

        using var activity = CiertoTelemetry.Source.StartActivity("usage.activate");
        if (await throttle.BeginAttemptAsync(actor.UserId) is { } wait)
        {
            metrics.Throttled();
            activity?.SetTag("cierto.activation.status", nameof(ActivationStatus.Throttled));
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            return new ActivationResult(ActivationStatus.Throttled, Texts.Plural("Too many wrong codes. Try again in {0} minutes.", minutes), RetryAfter: wait);
        }

        var wrongCode = false;
        var savepoints = db.Database.AutoSavepointsEnabled;
        try
        {
            var result = await OnOneConnectionAsync(() => TryActivateAsync(actor, actor.OwnCompany(), activationCode, cancellationToken), cancellationToken);
            wrongCode = result.Status == ActivationStatus.InvalidCode;
            activity?.SetTag("cierto.activation.status", result.Status.ToString());
            activity?.SetTag("cierto.session.id", result.SessionId?.ToString());
            if (wrongCode)
            {
                metrics.WrongCode();
            }
            else if (result is { Succeeded: true, AlreadyHeld: false })
            {
                metrics.Activated();
            }

            return result;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
            if (!wrongCode)
            {
                await throttle.ForgiveAsync(actor.UserId);
            }
        }
    }

    /// <summary>
    /// Row locks settle the races: the item is share-locked, so an admin retiring it or putting
    /// it out of service waits for (or is waited for by) this activation; with a per-worker cap the
    /// worker's own row is locked, so their concurrent activations are counted one after another.
    /// </summary>
    private async Task<ActivationResult> TryActivateAsync(Actor actor, Guid companyId, string? activationCode, CancellationToken cancellationToken)
    {
        var code = Codes.Normalize(activationCode);
        var now = time.GetUtcNow();
        var bookingHorizon = now + TimeSpan.FromMinutes(BookingRules.GraceMinutesLimit); // no company's grace is longer
        if (!Codes.IsWellFormed(code, EquipmentItem.ActivationCodeMinLength, EquipmentItem.ActivationCodeMaxLength))
        {
            return await InvalidAsync(actor, companyId, code, cancellationToken);
        }

        var item = await db.Equipment.AsNoTracking()
            .Where(e => e.CompanyId == companyId && e.ActivationCode == code)
            .Select(e => new
            {
                e.Id,
                e.Name,
                Cap = db.Companies.Where(c => c.Id == e.CompanyId).Select(c => c.MaxActiveItemsPerWorker).FirstOrDefault(),
                BookedNearNow = db.Bookings.Any(b => b.EquipmentId == e.Id && b.WorkerId != actor.UserId && b.EndsAt > now && b.StartsAt < bookingHorizon),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            return await InvalidAsync(actor, companyId, code, cancellationToken);
        }

        Guid? overridden = null;
        if (item.BookedNearNow && await BookedByOthersAsync(actor, companyId, item.Id, item.Name, now, cancellationToken) is var (refusal, bookingId))
        {
            if (!actor.IsCompanyAdmin)
            {
                return refusal;
            }

            overridden = bookingId; // an admin who also works may take it anyway, and it is audited
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (item.Cap is { } limit)
        {
            await db.LockUserAsync(actor.UserId, cancellationToken);
            if (await db.UsageSessions.CountAsync(s => s.WorkerId == actor.UserId && s.EndedAt == null, cancellationToken) >= limit)
            {
                return await AlreadyHeldAsync(actor, item.Id, item.Name, cancellationToken)
                    ?? new ActivationResult(ActivationStatus.LimitReached, Texts.Plural("You already hold {0} items, the most your company allows. Release one first.", limit));
            }
        }

        var status = await db.ShareLockedStatusAsync(item.Id, cancellationToken);
        if (status != EquipmentStatus.Available)
        {
            var why = status == EquipmentStatus.Retired
                ? Texts.Format("{0} has been retired and cannot be used.", item.Name)
                : Texts.Format("{0} is out of service and cannot be used.", item.Name);
            return new ActivationResult(ActivationStatus.Unavailable, why, EquipmentId: item.Id, EquipmentName: item.Name);
        }

        var session = new UsageSession(companyId, item.Id, actor.UserId, now);
        db.UsageSessions.Add(session);
        db.Record(now, actor, companyId, "usage.activated", "Equipment", item.Id, session.Id.ToString());
        if (overridden is { } booking)
        {
            db.Record(now, actor, companyId, "usage.booking-overridden", nameof(Booking), booking, session.Id.ToString());
        }

        // A failed insert rolls the whole transaction back (below), so no savepoint is needed around
        // it: two round trips fewer on the hottest write.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex, UsageSessionConfiguration.OneActiveSessionIndex))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (await AlreadyHeldAsync(actor, item.Id, item.Name, cancellationToken) is { } repeated)
            {
                return repeated;
            }

            // Who holds it is the admin's business; another worker only learns that it is taken.
            var holder = actor.IsCompanyAdmin
                ? await db.UsageSessions.Where(s => s.EquipmentId == item.Id && s.EndedAt == null)
                    .Join(db.Users, s => s.WorkerId, u => u.Id, (_, u) => u.DisplayName)
                    .FirstOrDefaultAsync(cancellationToken)
                : null;
            var message = holder is null ? Texts.Format("{0} is already in use by someone else.", item.Name) : Texts.Format("{0} is already in use by {1}.", item.Name, holder);
            return new ActivationResult(ActivationStatus.InUse, message, EquipmentId: item.Id, EquipmentName: item.Name);
        }

        await events.PublishAsync(new EquipmentUsageChanged(companyId, item.Id, actor.UserId, UsageChangeKind.Activated, now), cancellationToken);
        return new ActivationResult(ActivationStatus.Activated, Texts.Format("You are now using {0}.", item.Name), session.Id, item.Id, item.Name, now);
    }

    /// <summary>
    /// Whether someone else's booking covers now (its grace before the start included) and none of the
    /// worker's own does: the refusal,
    /// naming when the item is free again, and that booking's id; null when the item is not booked now.
    /// </summary>
    private async Task<(ActivationResult Refusal, Guid BookingId)?> BookedByOthersAsync(Actor actor, Guid companyId, Guid itemId, string itemName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => new { c.BookingGraceMinutes, c.TimeZone }).SingleAsync(cancellationToken);
        var grace = TimeSpan.FromMinutes(company.BookingGraceMinutes);
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(b => b.EquipmentId == itemId && b.EndsAt > now)
            .OrderBy(b => b.StartsAt)
            .Take(50)
            .ToListAsync(cancellationToken);
        var blocking = upcoming.FirstOrDefault(b => b.WorkerId != actor.UserId && b.StartsAt - grace <= now);
        if (blocking is null || upcoming.Any(b => b.WorkerId == actor.UserId && b.StartsAt - grace <= now))
        {
            return null;
        }

        var freeAt = BookingQueries.FreeAgainAt(blocking, upcoming.Where(b => b.StartsAt > blocking.StartsAt), actor.UserId, grace);
        var message = Texts.Format("{0} is booked by someone else. It is free again {1}.", itemName, CompanyTime.Describe(company.TimeZone, freeAt, now));
        return (new ActivationResult(ActivationStatus.Booked, message, EquipmentId: itemId, EquipmentName: itemName) { FreeAt = freeAt }, blocking.Id);
    }

    /// <summary>
    /// The worker's own open session of the item, as a success: activating what one already holds
    /// is the same request again (a double tap, or a retry after the answer was lost to a network or
    /// database blip), so it must not read "in use by someone else" nor start a second session.
    /// </summary>
    private async Task<ActivationResult?> AlreadyHeldAsync(Actor actor, Guid itemId, string itemName, CancellationToken cancellationToken)
    {
        var held = await db.UsageSessions.AsNoTracking()
            .Where(s => s.EquipmentId == itemId && s.WorkerId == actor.UserId && s.EndedAt == null)
            .Select(s => new { s.Id, s.StartedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return held is null
            ? null
            : new ActivationResult(ActivationStatus.Activated, Texts.Format("You are already using {0}.", itemName), held.Id, itemId, itemName, held.StartedAt) { AlreadyHeld = true };
    }

    /// <summary>The holder ends their own session.</summary>
    public async Task<ReleaseStatus> DeactivateAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var companyId = actor.OwnCompany();
        using var activity = CiertoTelemetry.Source.StartActivity("usage.end");
        return await OnOneConnectionAsync(() => EndAsync(actor, companyId, sessionId, s => s.WorkerId == actor.UserId, SessionEndKind.Worker, reason: null, "usage.deactivated", cancellationToken), cancellationToken);
    }

    /// <summary>A company admin ends someone's session, with a reason the worker is told.</summary>
    public Task<ReleaseStatus> ForceReleaseAsync(Actor actor, Guid sessionId, string? reason, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.ManagedCompany(companyId);
        reasonRules.ThrowIfInvalid(new ForceReleaseRequest(reason));
        return OnOneConnectionAsync(() => EndAsync(actor, company, sessionId, _ => true, SessionEndKind.ForceRelease, reason!.Trim(), "usage.force-released", cancellationToken), cancellationToken);
    }

    private async Task<ReleaseStatus> EndAsync(
        Actor actor,
        Guid companyId,
        Guid sessionId,
        System.Linq.Expressions.Expression<Func<UsageSession, bool>> mayEnd,
        SessionEndKind kind,
        string? reason,
        string action,
        CancellationToken cancellationToken)
    {
        var session = await db.UsageSessions
            .Where(s => s.Id == sessionId && s.CompanyId == companyId).Where(mayEnd)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Usage");
        if (!session.IsActive)
        {
            return ReleaseStatus.AlreadyEnded;
        }

        var now = time.GetUtcNow();
        session.End(kind, actor.UserId, reason, now);
        db.Record(now, actor, companyId, action, "UsageSession", sessionId, reason);
        if (kind == SessionEndKind.ForceRelease)
        {
            db.Enqueue(new EquipmentForceReleased(sessionId), now);
        }

        try
        {
            // EndedAt is a concurrency token: the UPDATE only matches while the session is still
            // open, so of two simultaneous ends exactly one commits (with its audit and mail).
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ReleaseStatus.AlreadyEnded;
        }

        await events.PublishAsync(new EquipmentUsageChanged(companyId, session.EquipmentId, session.WorkerId, kind == SessionEndKind.ForceRelease ? UsageChangeKind.ForceReleased : UsageChangeKind.Deactivated, now), cancellationToken);
        return ReleaseStatus.Released;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on one connection: its reads and its transaction would otherwise
    /// each take one from the pool (and reset it), costing the hottest paths a round trip or more.
    /// </summary>
    private async Task<T> OnOneConnectionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A wrong code counts towards the worker's throttle and is audited.</summary>
    private async Task<ActivationResult> InvalidAsync(Actor actor, Guid companyId, string code, CancellationToken cancellationToken)
    {
        var typed = code.Length > 16 ? code[..16] : code;
        db.Record(time.GetUtcNow(), actor, companyId, "usage.invalid-code", "User", actor.UserId, typed);
        await db.SaveChangesAsync(cancellationToken);
        return new(ActivationStatus.InvalidCode, Texts.Get("That activation code does not match any item. Check the code on the label and try again."));
    }
}
