using System.Security.Cryptography;
using System.Text;
using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Bookings;

/// <summary>One booking as a calendar feed lists it.</summary>
public sealed record FeedEntry(Guid Id, string EquipmentName, string? InventoryNumber, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Note, DateTimeOffset CreatedAt);

public sealed record CalendarFeed(string WorkerName, string CompanyName, IReadOnlyList<FeedEntry> Entries);

/// <summary>
/// A worker's personal iCalendar address: a secret in the URL is all a calendar app can send, so
/// the secret is long (256 bits), stored only as a hash, shown once, and revocable (a new one
/// replaces it). The feed lists their bookings from 30 days back.
/// </summary>
public sealed class CalendarFeeds(CiertoDbContext db, TimeProvider time)
{
    public static readonly TimeSpan History = TimeSpan.FromDays(30);

    public async Task<bool> HasFeedAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await db.Users.AnyAsync(u => u.Id == actor.UserId && u.CalendarFeedHash != null, cancellationToken);
    }

    /// <summary>A new secret for the actor's feed (the old address stops working); returned once.</summary>
    public async Task<string> CreateAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var user = await MemberAsync(actor, cancellationToken);
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        user.CalendarFeedHash = Hash(secret);
        db.Record(time.GetUtcNow(), actor, user.CompanyId, "calendar-feed.created", "User", user.Id);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    public async Task RevokeAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var user = await MemberAsync(actor, cancellationToken);
        if (user.CalendarFeedHash is null)
        {
            return;
        }

        user.CalendarFeedHash = null;
        db.Record(time.GetUtcNow(), actor, user.CompanyId, "calendar-feed.revoked", "User", user.Id);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The feed behind a secret, or null (unknown, revoked, or its owner may no longer sign in): the caller answers 404 either way.</summary>
    public async Task<CalendarFeed?> ReadAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 64)
        {
            return null;
        }

        var hash = Hash(secret);
        var owner = await db.Users.AsNoTracking()
            .Where(u => u.CalendarFeedHash == hash && u.Status == UserStatus.Active && u.CompanyId != null)
            .Select(u => new { u.Id, u.DisplayName, Company = db.Companies.Where(c => c.Id == u.CompanyId && c.Status == Companies.CompanyStatus.Active).Select(c => c.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (owner?.Company is null)
        {
            return null;
        }

        var since = time.GetUtcNow() - History;
        var entries = await db.Bookings.AsNoTracking()
            .Where(b => b.WorkerId == owner.Id && b.EndsAt > since)
            .OrderBy(b => b.StartsAt)
            .Take(BookingService.MaxListed)
            .Join(db.Equipment, b => b.EquipmentId, e => e.Id, (b, e) => new FeedEntry(b.Id, e.Name, e.InventoryNumber, b.StartsAt, b.EndsAt, b.Note, b.CreatedAt))
            .ToListAsync(cancellationToken);
        return new CalendarFeed(owner.DisplayName, owner.Company, entries);
    }

    private async Task<CiertoUser> MemberAsync(Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsWorker)
        {
            throw new ForbiddenException();
        }

        return await db.Users.SingleOrDefaultAsync(u => u.Id == actor.UserId, cancellationToken) ?? throw new NotFoundException("Worker");
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
