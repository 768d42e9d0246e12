using System.Security.Cryptography;
using System.Text;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Accounts;

public sealed record ApiSessionRow(Guid Id, string DeviceName, string? LastClientAddress, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt);

/// <summary>A refresh token handed out, and the session it belongs to.</summary>
public sealed record IssuedRefreshToken(Guid SessionId, Guid UserId, string Token);

/// <summary>
/// Server-side refresh tokens of the mobile app. A token is stored as a hash and works once: each
/// refresh rotates it. A used token that comes back means it was copied, so the whole session (the
/// token family) is revoked at once, for the thief and the owner alike. Sessions are listed and
/// revoked by their owner, and all of a user's end when the password changes.
/// </summary>
public sealed class ApiSessionService(CiertoDbContext db, TimeProvider time)
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public async Task<IssuedRefreshToken> StartAsync(CiertoUser user, string? deviceName, string? clientAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var session = new ApiSession(user.Id, deviceName, clientAddress, user.SecurityStamp ?? string.Empty, now);
        db.ApiSessions.Add(session);
        var token = NewToken(session.Id, now);
        db.Record(now, new Actor(user.Id, user.CompanyId, []), user.CompanyId, "api.session-started", nameof(ApiSession), session.Id, session.DeviceName);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedRefreshToken(session.Id, user.Id, token);
    }

    /// <summary>
    /// Exchanges a refresh token for the next one of its session, or null when it is unknown,
    /// expired, revoked or out of date. The exchange is a conditional update: of two concurrent
    /// uses of one token only one wins, and the other is treated as the reuse it is.
    /// </summary>
    public async Task<IssuedRefreshToken?> RotateAsync(string? refreshToken, string? clientAddress, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length > 200)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        var found = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Join(db.ApiSessions, t => t.SessionId, s => s.Id, (t, s) => new { Token = t, Session = s })
            .Join(db.Users, x => x.Session.UserId, u => u.Id, (x, u) => new { x.Token, x.Session, u.SecurityStamp, u.Status, u.CompanyId })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || found.Session.RevokedAt is not null)
        {
            return null;
        }

        if (found.Token.ExpiresAt <= now || found.SecurityStamp != found.Session.SecurityStamp || found.Status != UserStatus.Active)
        {
            await RevokeWhereAsync(s => s.Id == found.Session.Id, "expired", now, cancellationToken);
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == found.Token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await RevokeWhereAsync(s => s.Id == found.Session.Id, "reused", now, cancellationToken);
            db.Record(now, new Actor(found.Session.UserId, found.CompanyId, []), found.CompanyId, "api.refresh-token-reused", nameof(ApiSession), found.Session.Id, clientAddress);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        var session = await db.ApiSessions.SingleAsync(s => s.Id == found.Session.Id, cancellationToken);
        session.Used(clientAddress, now);
        var token = NewToken(session.Id, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IssuedRefreshToken(session.Id, session.UserId, token);
    }

    public async Task<IReadOnlyList<ApiSessionRow>> ListAsync(Guid userId, CancellationToken cancellationToken = default) =>
        await db.ApiSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null)
            .OrderByDescending(s => s.LastUsedAt)
            .Select(s => new ApiSessionRow(s.Id, s.DeviceName, s.LastClientAddress, s.CreatedAt, s.LastUsedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Whether an access token's session still stands (checked with the security stamp on every API request, cached briefly).</summary>
    public Task<bool> IsActiveAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        db.ApiSessions.AnyAsync(s => s.Id == sessionId && s.RevokedAt == null, cancellationToken);

    /// <summary>The owner ends one of their sessions; another user's session answers like a missing one.</summary>
    public async Task RevokeAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        if (await RevokeWhereAsync(s => s.Id == sessionId && s.UserId == userId, "signed-out", time.GetUtcNow(), cancellationToken) == 0)
        {
            throw new NotFoundException("Session");
        }
    }

    public Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return RevokeWhereAsync(s => s.UserId == userId, reason, time.GetUtcNow(), cancellationToken);
    }

    private Task<int> RevokeWhereAsync(System.Linq.Expressions.Expression<Func<ApiSession, bool>> which, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ApiSessions.Where(which).Where(s => s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), cancellationToken);

    private string NewToken(Guid sessionId, DateTimeOffset now)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.RefreshTokens.Add(new RefreshToken(sessionId, Hash(token), now, now + RefreshTokenLifetime));
        return token;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
