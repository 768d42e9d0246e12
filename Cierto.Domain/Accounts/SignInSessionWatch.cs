using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Domain.Accounts;

/// <summary>
/// Whether a browser's sign-in session still stands, asked on every request and by every open page.
/// An answer "still signed in" is kept for <c>Cierto:Security:SessionCheckSeconds</c> (30); a
/// revocation on any instance (the event bus) forgets it at once, so the next request is refused.
/// The session's last-seen time is written at most every <c>Cierto:Security:SessionLastSeenMinutes</c>
/// (5). Open pages of this instance <see cref="Watch"/> their session and are told when it ends;
/// when the bus may have missed events (Redis was away) every open page checks again.
/// </summary>
public sealed class SignInSessionWatch : IDisposable
{
    public const string CheckSecondsKey = "Cierto:Security:SessionCheckSeconds";
    public const string LastSeenMinutesKey = "Cierto:Security:SessionLastSeenMinutes";

    /// <summary>Past this many remembered sessions, those not asked about lately are forgotten.</summary>
    private const int RememberedMax = 20_000;

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly TimeSpan checkEvery;
    private readonly TimeSpan lastSeenEvery;
    private readonly IDisposable subscription;
    private readonly ConcurrentDictionary<Guid, Known> known = new();
    private readonly ConcurrentDictionary<Guid, ImmutableList<Func<Task>>> watchers = new();

    public SignInSessionWatch(IEventBus events, IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(events);
        this.scopes = scopes;
        this.time = time;
        checkEvery = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(CheckSecondsKey, 30), 0, 3600));
        lastSeenEvery = TimeSpan.FromMinutes(Math.Clamp(configuration.GetValue(LastSeenMinutesKey, 5), 0, 1440));
        subscription = events.SubscribeToRevocations(OnRevokedAsync);
    }

    /// <summary>Open pages of this instance watching a session (for tests and metrics).</summary>
    public int WatcherCount => watchers.Values.Sum(w => w.Count);

    public async Task<bool> IsActiveAsync(Guid sessionId, string? address, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (known.TryGetValue(sessionId, out var remembered) && (!remembered.Active || now - remembered.CheckedAt < checkEvery))
        {
            return remembered.Active;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        try
        {
            var row = await db.SignInSessions.AsNoTracking().Where(s => s.Id == sessionId)
                .Select(s => new { s.RevokedAt, s.LastSeenAt }).SingleOrDefaultAsync(cancellationToken);
            var active = row is { RevokedAt: null };
            if (active && now - row!.LastSeenAt >= lastSeenEvery)
            {
                var seenFrom = SignInSession.Trim(address);
                await db.SignInSessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.Address, x => seenFrom ?? x.Address), cancellationToken);
            }

            Remember(sessionId, new Known(active, now));
            return active;
        }
        catch (Exception ex) when (scope.ServiceProvider.GetRequiredService<DatabaseOutages>().ReportIfTransient(ex, "sign-in-session"))
        {
            // The database is away: nothing says the session ended, and whatever the request does
            // needs the database anyway. The next check decides.
            return remembered?.Active ?? true;
        }
    }

    /// <summary>Calls <paramref name="recheck"/> when the session may have ended, until the handle is disposed.</summary>
    public IDisposable Watch(Guid sessionId, Func<Task> recheck)
    {
        ArgumentNullException.ThrowIfNull(recheck);
        watchers.AddOrUpdate(sessionId, _ => [recheck], (_, list) => list.Add(recheck));
        return new Unwatch(() =>
        {
            while (watchers.TryGetValue(sessionId, out var list))
            {
                var rest = list.Remove(recheck);
                if (rest.IsEmpty ? watchers.TryRemove(new KeyValuePair<Guid, ImmutableList<Func<Task>>>(sessionId, list)) : watchers.TryUpdate(sessionId, rest, list))
                {
                    return;
                }
            }
        });
    }

    public void Dispose() => subscription.Dispose();

    private void Remember(Guid sessionId, Known answer)
    {
        // A revocation heard while the database was being read wins over what the read found.
        known.AddOrUpdate(sessionId, answer, (_, current) => current.Active ? answer : current);
        if (known.Count > RememberedMax)
        {
            var stale = time.GetUtcNow() - TimeSpan.FromMinutes(1) - checkEvery;
            foreach (var entry in known.Where(e => e.Value.CheckedAt < stale))
            {
                known.TryRemove(entry);
            }
        }
    }

    private async Task OnRevokedAsync(SignInSessionsRevoked revoked)
    {
        IEnumerable<Func<Task>> toTell;
        if (revoked.IsResync)
        {
            known.Clear();
            toTell = watchers.Values.SelectMany(w => w).ToList();
        }
        else
        {
            foreach (var id in revoked.SessionIds)
            {
                known[id] = new Known(false, revoked.At);
            }

            toTell = revoked.SessionIds.SelectMany(id => watchers.TryGetValue(id, out var list) ? list : []).ToList();
        }

        foreach (var recheck in toTell)
        {
            try
            {
                await recheck();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One closed page must not keep the others signed in.
            }
        }
    }

    private sealed record Known(bool Active, DateTimeOffset CheckedAt);

    private sealed class Unwatch(Action undo) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                undo();
            }
        }
    }
}
