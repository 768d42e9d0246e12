using Cierto.Domain.Auditing;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Accounts;

public sealed record SignInSessionRow(Guid Id, string Device, string? Address, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);

/// <summary>
/// The server side of browser sign-ins. Each revocation is one conditional update, published on
/// the event bus once it has committed, so every instance refuses the session's cookie at its next
/// request and sends its open pages to sign in (see <see cref="SignInSessionWatch"/>).
/// </summary>
public sealed class SignInSessionService(CiertoDbContext db, ApiSessionService apiSessions, IEventBus events, TimeProvider time)
{
    /// <summary>A new session for a sign-in; the session this browser had before (another user's, or its own) ends with it.</summary>
    public async Task<SignInSession> StartAsync(Guid userId, string? userAgent, string? address, Guid? replacing = null, CancellationToken cancellationToken = default)
    {
        var session = new SignInSession(userId, userAgent, address, time.GetUtcNow());
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        if (replacing is { } previous)
        {
            await RevokeWhereAsync(s => s.Id == previous, "replaced", cancellationToken);
        }

        return session;
    }

    /// <summary>The sign-in cookie's sliding lifetime (Identity's default): a browser not seen for longer holds no valid cookie, so its session is over.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromDays(14);

    /// <summary>The user's browser sessions that still stand: not revoked, and seen within the cookie's lifetime (a closed browser's session ends by age).</summary>
    public async Task<IReadOnlyList<SignInSessionRow>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var seenSince = time.GetUtcNow() - IdleLifetime;
        return await db.SignInSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.LastSeenAt > seenSince)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SignInSessionRow(s.Id, s.Device, s.Address, s.StartedAt, s.LastSeenAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Ends one session of this user (signing out, or one row of "Signed-in devices"); false when it is not theirs or already ended.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid sessionId, string reason, CancellationToken cancellationToken = default) =>
        await RevokeWhereAsync(s => s.Id == sessionId && s.UserId == userId, reason, cancellationToken) > 0;

    /// <summary>Ends every browser session of the user but <paramref name="except"/> (this browser, when it stays signed in).</summary>
    public Task<int> RevokeAllAsync(Guid userId, Guid? except, string reason, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync(s => s.UserId == userId && s.Id != except, reason, cancellationToken);

    /// <summary>Ends every browser session of a company's people (it was suspended).</summary>
    public Task<int> RevokeCompanyAsync(Guid companyId, string reason, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync(s => db.Users.Any(u => u.Id == s.UserId && u.CompanyId == companyId), reason, cancellationToken);

    /// <summary>
    /// Everything that signs in as the user without a password ends, but this browser's session
    /// (<paramref name="except"/>): the other browsers, every app device, and the calendar feed
    /// address (a secret in a URL is a credential too). Password reset, "sign out everywhere
    /// else", disabling.
    /// </summary>
    public async Task EndEverywhereAsync(Guid userId, Guid? except, string reason, CancellationToken cancellationToken = default)
    {
        await RevokeAllAsync(userId, except, reason, cancellationToken);
        await apiSessions.RevokeAllAsync(userId, reason, cancellationToken);
        await EndCalendarFeedAsync(userId, reason, cancellationToken);
    }

    /// <summary>The user's calendar feed address stops working; a new one is made on the bookings page.</summary>
    public async Task EndCalendarFeedAsync(Guid userId, string reason, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user?.CalendarFeedHash is null)
        {
            return;
        }

        user.CalendarFeedHash = null;
        db.Record(time.GetUtcNow(), null, user.CompanyId, "calendar-feed.revoked", "User", user.Id, reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> RevokeWhereAsync(System.Linq.Expressions.Expression<Func<SignInSession, bool>> which, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var now = time.GetUtcNow();
        var ids = await db.SignInSessions.Where(which).Where(s => s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var revoked = await db.SignInSessions.Where(s => ids.Contains(s.Id) && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), cancellationToken);
        await events.PublishAsync(new SignInSessionsRevoked(ids, now), cancellationToken);
        return revoked;
    }
}
