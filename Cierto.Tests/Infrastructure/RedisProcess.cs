using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A private redis-server on a free loopback port that a test may stop and start again, to show
/// what the app does when Redis goes away and comes back. ./test.sh installs redis-server.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private static readonly string[] Binaries = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

    private Process? process;

    public int Port { get; } = LoopbackPorts.Free();

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000,connectRetry=1";

    public async Task StartAsync()
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; ./test.sh installs it.");
        process = Process.Start(new ProcessStartInfo(binary, ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await LoopbackPorts.WaitUntilListeningAsync(Port, "redis-server");
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

}
