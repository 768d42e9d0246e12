namespace Cierto.Domain.Limits;

/// <summary>How many hits a key has taken in its current window, this one included, and when the window ends.</summary>
public readonly record struct RateCount(long Count, TimeSpan ResetsIn);

/// <summary>
/// Fixed-window hit counters, shared by every instance (Redis) or by one process (embedded mode).
/// A hit is counted before anything is decided, atomically, so concurrent attempts cannot all
/// slip in under the limit; the window starts with a key's first hit and always ends.
/// </summary>
public interface IRateCounter
{
    Task<RateCount> HitAsync(string key, TimeSpan window);

    /// <summary>Gives one hit back (an attempt that turned out not to count, e.g. a right code).</summary>
    Task UndoAsync(string key);
}
