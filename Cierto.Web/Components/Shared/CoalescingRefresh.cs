namespace Cierto.Web.Components.Shared;

/// <summary>
/// Turns a burst of change notifications into few refreshes: the first request refreshes at
/// once, requests arriving while a refresh runs or during the quiet period after it are folded
/// into one more refresh. So 500 events in a second cost a handful of reloads, not 500.
/// </summary>
public sealed class CoalescingRefresh(Func<Task> refresh, TimeSpan quietPeriod) : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private int requested;
    private int running;

    public int Refreshes { get; private set; }

    public void Request()
    {
        Interlocked.Exchange(ref requested, 1);
        if (Interlocked.CompareExchange(ref running, 1, 0) == 0)
        {
            _ = PumpAsync();
        }
    }

    /// <summary>Asks for a refresh after <paramref name="delay"/> (a retry after a failed one), unless disposed meanwhile.</summary>
    public void RequestAfter(TimeSpan delay) => _ = RequestLaterAsync(delay);

    private async Task RequestLaterAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, stopping.Token);
            Request();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested && Interlocked.Exchange(ref requested, 0) == 1)
            {
                Refreshes++;
                await refresh();
                await Task.Delay(quietPeriod, stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref running, 0);
            if (Volatile.Read(ref requested) == 1 && !stopping.IsCancellationRequested)
            {
                Request();
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}
