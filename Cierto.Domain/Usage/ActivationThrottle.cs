using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Cierto.Domain.Usage;

/// <summary>
/// Limits wrong activation codes per worker (a fixed window: <see cref="MaxFailures"/> per
/// <see cref="Window"/>), so codes cannot be guessed by trying. In-process for embedded mode,
/// Redis when several instances share the work.
/// </summary>
public interface IActivationThrottle
{
    const int MaxFailures = 5;

    static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>How long the worker must wait, or null when they may try.</summary>
    Task<TimeSpan?> RetryAfterAsync(Guid workerId);

    Task RecordFailureAsync(Guid workerId);
}

public sealed class InMemoryActivationThrottle(TimeProvider time) : IActivationThrottle
{
    private readonly ConcurrentDictionary<Guid, (int Failures, DateTimeOffset WindowEnds)> failures = new();

    public Task<TimeSpan?> RetryAfterAsync(Guid workerId)
    {
        var now = time.GetUtcNow();
        return Task.FromResult<TimeSpan?>(
            failures.TryGetValue(workerId, out var entry) && entry.WindowEnds > now && entry.Failures >= IActivationThrottle.MaxFailures
                ? entry.WindowEnds - now
                : null);
    }

    public Task RecordFailureAsync(Guid workerId)
    {
        var now = time.GetUtcNow();
        failures.AddOrUpdate(
            workerId,
            _ => (1, now + IActivationThrottle.Window),
            (_, entry) => entry.WindowEnds > now ? (entry.Failures + 1, entry.WindowEnds) : (1, now + IActivationThrottle.Window));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Shared across instances: INCR on a key that expires with the window. If Redis cannot be
/// reached, the in-process throttle of this instance stands in, so activations keep working.
/// </summary>
public sealed class RedisActivationThrottle(IConnectionMultiplexer redis, string prefix, InMemoryActivationThrottle fallback) : IActivationThrottle
{
    private RedisKey Key(Guid workerId) => $"{prefix}activation-failures:{workerId:N}";

    public async Task<TimeSpan?> RetryAfterAsync(Guid workerId)
    {
        try
        {
            var db = redis.GetDatabase();
            var count = await db.StringGetAsync(Key(workerId));
            if (!count.HasValue || (long)count < IActivationThrottle.MaxFailures)
            {
                return null;
            }

            return await db.KeyTimeToLiveAsync(Key(workerId)) ?? IActivationThrottle.Window;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await fallback.RetryAfterAsync(workerId);
        }
    }

    public async Task RecordFailureAsync(Guid workerId)
    {
        try
        {
            var db = redis.GetDatabase();
            var count = await db.StringIncrementAsync(Key(workerId));
            if (count == 1)
            {
                await db.KeyExpireAsync(Key(workerId), IActivationThrottle.Window);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await fallback.RecordFailureAsync(workerId);
        }
    }
}
