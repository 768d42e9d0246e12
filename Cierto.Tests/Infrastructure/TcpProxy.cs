using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a server, for faults the server itself cannot make: every
/// open connection cut at once (a network blip, a load balancer failing over mid-request) with
/// <see cref="DropAll"/>, and added latency per chunk with <see cref="Delay"/>.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Guid, (Socket Client, Socket Server)> pairs = new();
    private readonly Task accepting;

    public TcpProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Added before each chunk is passed on, both ways.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Connections cut so far.</summary>
    public int Dropped { get; private set; }

    /// <summary>Resets every open connection (both sides see a reset, as when a network path fails).</summary>
    public int DropAll()
    {
        var count = 0;
        foreach (var (id, pair) in pairs)
        {
            if (pairs.TryRemove(id, out _))
            {
                Reset(pair.Client);
                Reset(pair.Server);
                count++;
            }
        }

        Dropped += count;
        return count;
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The server is down: the client sees its connection closed, as with a refused connection behind a proxy.
            Reset(client);
            server.Dispose();
            return;
        }

        var id = Guid.NewGuid();
        pairs[id] = (client, server);
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        if (pairs.TryRemove(id, out _))
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, stopping.Token);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST, not FIN
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        DropAll();
        await accepting;
        stopping.Dispose();
    }
}
