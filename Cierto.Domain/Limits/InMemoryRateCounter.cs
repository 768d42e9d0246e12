using System.Collections.Concurrent;

namespace Cierto.Domain.Limits;

/// <summary>Counters of this process: embedded mode, and the stand-in while Redis cannot be reached.</summary>
public sealed class InMemoryRateCounter(TimeProvider time) : IRateCounter
{
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    private long hitsSinceSweep;

    public Task<RateCount> HitAsync(string key, TimeSpan window)
    {
        var now = time.GetUtcNow();
        SweepNowAndThen(now);
        var entry = windows.AddOrUpdate(
            key,
            _ => new Window(1, now + window),
            (_, current) => current.EndsAt > now ? current with { Count = current.Count + 1 } : new Window(1, now + window));
        return Task.FromResult(new RateCount(entry.Count, entry.EndsAt - now));
    }

    public Task UndoAsync(string key)
    {
        var now = time.GetUtcNow();
        windows.AddOrUpdate(key, _ => new Window(0, now), (_, current) => current with { Count = Math.Max(0, current.Count - 1) });
        return Task.CompletedTask;
    }

    /// <summary>Ended windows are dropped every few thousand hits, so the map holds only live keys.</summary>
    private void SweepNowAndThen(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref hitsSinceSweep) % 4096 != 0)
        {
            return;
        }

        foreach (var (key, entry) in windows)
        {
            if (entry.EndsAt <= now)
            {
                windows.TryRemove(new KeyValuePair<string, Window>(key, entry));
            }
        }
    }

    private readonly record struct Window(long Count, DateTimeOffset EndsAt);
}
