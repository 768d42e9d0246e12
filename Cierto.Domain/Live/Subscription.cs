namespace Cierto.Domain.Live;

internal sealed class Subscription(Action unsubscribe) : IDisposable
{
    private int disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            unsubscribe();
        }
    }
}
