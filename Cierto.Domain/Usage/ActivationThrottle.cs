using Cierto.Domain.Limits;

namespace Cierto.Domain.Usage;

/// <summary>
/// Limits wrong activation codes per worker: after <see cref="MaxFailures"/> in a
/// <see cref="Window"/>, activations pause until the window ends, so codes cannot be guessed by
/// trying. Every attempt is counted before its code is looked at (atomically, on every instance),
/// and given back when the code turns out right, so concurrent wrong codes cannot all slip in
/// under the limit.
/// </summary>
public sealed class ActivationThrottle(IRateCounter counter)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Counts an attempt; returns how long the worker must wait, or null when this attempt may go ahead.</summary>
    public async Task<TimeSpan?> BeginAttemptAsync(Guid workerId)
    {
        var hit = await counter.HitAsync(Key(workerId), Window);
        return hit.Count > MaxFailures ? hit.ResetsIn : null;
    }

    /// <summary>The attempt was not a wrong code: it does not count.</summary>
    public Task ForgiveAsync(Guid workerId) => counter.UndoAsync(Key(workerId));

    private static string Key(Guid workerId) => $"activation-failures:{workerId:N}";
}
