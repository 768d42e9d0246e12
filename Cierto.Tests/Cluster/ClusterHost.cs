using System.Diagnostics;
using System.Text.RegularExpressions;
using Cierto.Tests.Browser;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Cluster;

/// <summary>
/// The cluster tests run alone, after the rest of the suite: they publish the app, start nginx and
/// two instances, and kill one of them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterSuite : ICollectionFixture<ClusterHost>
{
    public const string Name = "Cluster";
}

/// <summary>
/// The production topology, started by <c>scripts/cluster.sh up</c> as an operator would: Debian's
/// nginx with <c>deploy/nginx.conf.template</c> (TLS on a self-signed certificate) in front of two
/// published Release instances on the test PostgreSQL and Redis, mail to the pickup folder. The
/// browser goes through nginx only; the in-process app of the base fixture only seeds the shared
/// database (companies, people, items), as the other browser tests do.
/// </summary>
public sealed partial class ClusterHost : BrowserHost
{
    private readonly string folder = Directory.CreateTempSubdirectory("cierto-cluster-").FullName;
    private readonly int httpsPort = LoopbackPorts.Free();
    private readonly int httpPort = LoopbackPorts.Free();

    /// <summary>The two instances' loopback ports, as nginx names them in its access log.</summary>
    public IReadOnlyList<int> InstancePorts { get; } = [LoopbackPorts.Free(), LoopbackPorts.Free()];

    public override Uri BaseUrl => new($"https://localhost:{httpsPort}/");

    /// <summary>nginx's plain-HTTP port, which only redirects to HTTPS.</summary>
    public int HttpPort => httpPort;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RunScriptAsync("up");
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await RunScriptAsync("down");
            Directory.Delete(folder, recursive: true); // the publish output and logs; kept when stopping failed
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>
    /// The instance (its port) nginx passed the latest request with this affinity key to; when the
    /// first choice was down, the log names every instance tried and the last one answered.
    /// </summary>
    public int InstanceOf(string affinity)
    {
        var served = UpstreamsOf(affinity);
        Assert.NotEmpty(served);
        return int.Parse(served[^1].Split(", ").Last().Split(':').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every instance that answered a request with this affinity key, in order.</summary>
    public IReadOnlyList<string> UpstreamsOf(string affinity) => File.ReadLines(Path.Combine(folder, "nginx", "access.log"))
        .Select(line => AccessLine().Match(line))
        .Where(m => m.Success && m.Groups["affinity"].Value == affinity && m.Groups["upstream"].Value != "-")
        .Select(m => m.Groups["upstream"].Value)
        .ToList();

    /// <summary>Kills the instance on this port, as a crash would (no graceful shutdown).</summary>
    public async Task KillInstanceAsync(int port)
    {
        var index = InstancePorts.ToList().IndexOf(port) + 1;
        Assert.True(index > 0, $"No instance on port {port}.");
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(folder, $"web{index}.pid")), System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private async Task RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.FullPath, "scripts", "cluster.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.FullPath,
        };
        start.Environment["CIERTO_CLUSTER_DIR"] = folder;
        start.Environment["CIERTO_CLUSTER_PORT"] = $"{httpsPort}";
        start.Environment["CIERTO_CLUSTER_HTTP_PORT"] = $"{httpPort}";
        start.Environment["CIERTO_CLUSTER_APP_PORTS"] = string.Join(' ', InstancePorts);
        start.Environment["CIERTO_CLUSTER_POSTGRES"] = Database.ConnectionString;
        start.Environment["CIERTO_CLUSTER_REDIS"] = await TestServers.RedisAsync();
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await script.WaitForExitAsync(timeout.Token);
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster.sh {command} failed ({script.ExitCode}): {await output}{await errors}");
        }

        if (command == "up")
        {
            Assert.Equal(BaseUrl.ToString().TrimEnd('/'), (await output).Trim().Split('\n').Last());
        }
    }

    [GeneratedRegex(@"upstream=(?<upstream>.+?) affinity=(?<affinity>\S+)$")]
    private static partial Regex AccessLine();
}
