using System.Collections.Immutable;

namespace Cierto.Domain.Live;

/// <summary>This instance's handlers of ended sign-in sessions; shared by both bus implementations.</summary>
public sealed class RevocationSubscribers
{
    private ImmutableList<Func<SignInSessionsRevoked, Task>> handlers = [];

    public int Count => handlers.Count;

    public IDisposable Add(Func<SignInSessionsRevoked, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref handlers, list => list.Remove(handler)));
    }

    /// <summary>Runs every handler; one failing handler does not stop the others.</summary>
    public async Task DeliverAsync(SignInSessionsRevoked revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        foreach (var handler in handlers)
        {
            try
            {
                await handler(revoked);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A broken subscriber must not block the others.
            }
        }
    }
}
