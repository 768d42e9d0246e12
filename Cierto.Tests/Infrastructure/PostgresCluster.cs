using System.Diagnostics;
using System.Globalization;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of its own (initdb on a free loopback port) that a fault test may
/// stop and start again without touching the server the rest of the suite shares. Uses Debian's
/// server binaries (<c>/usr/lib/postgresql/N/bin</c>, installed by ./test.sh); as root the server
/// runs as the <c>postgres</c> user, as PostgreSQL requires.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cierto-pg-{Guid.NewGuid():N}");
    private bool initialised;
    private bool running;

    public int Port { get; } = LoopbackPorts.Free();

    /// <summary>The maintenance database as the cluster's superuser (trust on loopback: the cluster lives for one test class).</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private string DataDirectory => Path.Combine(directory, "data");

    private static string BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
                ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql; ./test.sh installs them.")
            : throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql); ./test.sh installs it.");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task StartAsync()
    {
        if (!initialised)
        {
            Directory.CreateDirectory(directory);
            if (IsRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", directory]);
            }

            await RunPostgresToolAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
            initialised = true;
        }

        var options = string.Join(' ', "-p", Port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-k", directory, "-c", "fsync=off", "-c", "max_connections=200");
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(directory, "server.log"), "-o", options, "-w", "-t", "30", "start"]);
        running = true;
    }

    /// <summary>Starts the server again if a test left it stopped.</summary>
    public async Task EnsureRunningAsync()
    {
        if (!running)
        {
            await StartAsync();
        }
    }

    /// <summary>Stops the server: <c>fast</c> ends every session (57P01), as a restart or failover does; <c>immediate</c> is a crash.</summary>
    public async Task StopAsync(string mode = "fast")
    {
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "-t", "30", "stop"]);
        running = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (initialised && running)
        {
            try
            {
                await StopAsync("immediate");
            }
            catch (InvalidOperationException)
            {
                // already stopped
            }
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static Task RunPostgresToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(BinDirectory, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output} {await error}");
        }
    }
}
