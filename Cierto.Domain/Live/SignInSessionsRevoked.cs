namespace Cierto.Domain.Live;

/// <summary>
/// Sign-in sessions that have just ended (published after the revocation committed): every instance
/// forgets them at once and sends their open pages to sign in. <see cref="Resync"/> is not a change:
/// the bus may have missed some, so every instance checks its open pages against the database.
/// </summary>
public sealed record SignInSessionsRevoked(IReadOnlyList<Guid> SessionIds, DateTimeOffset At)
{
    public static SignInSessionsRevoked Resync(DateTimeOffset at) => new([], at) { IsResync = true };

    public bool IsResync { get; init; }
}
