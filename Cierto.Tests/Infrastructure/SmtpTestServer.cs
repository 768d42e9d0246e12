using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Cierto.Tests.Infrastructure;

/// <summary>A real SMTP server (the SmtpServer package) on a loopback port, collecting what it receives.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Channel<MimeMessage> received = Channel.CreateUnbounded<MimeMessage>();
    private CancellationTokenSource? running;
    private Task? serving;

    public int Port { get; } = LoopbackPorts.Free();

    public List<MimeMessage> Messages { get; } = [];

    public IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Cierto:Mail:Smtp:Host"] = "127.0.0.1",
        ["Cierto:Mail:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cierto:Mail:Smtp:Security"] = "None",
        ["Cierto:Mail:Smtp:TimeoutSeconds"] = "5",
    };

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        running = new CancellationTokenSource();
        serving = new SmtpServer.SmtpServer(options, services).StartAsync(running.Token);
        await LoopbackPorts.WaitUntilListeningAsync(Port, "The SMTP server");
    }

    public async Task StopAsync()
    {
        if (running is null)
        {
            return;
        }

        await running.CancelAsync();
        try
        {
            await serving!;
        }
        catch (OperationCanceledException)
        {
        }

        running.Dispose();
        running = null;
    }

    /// <summary>The next message for this address, waiting up to the timeout.</summary>
    public async Task<MimeMessage> NextForAsync(string to, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            lock (Messages)
            {
                var match = Messages.FirstOrDefault(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)));
                if (match is not null)
                {
                    Messages.Remove(match);
                    return match;
                }
            }

            await received.Reader.WaitToReadAsync(cancel.Token);
            received.Reader.TryRead(out _);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();


    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (server.Messages)
            {
                server.Messages.Add(message);
            }

            await server.received.Writer.WriteAsync(message, cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}
