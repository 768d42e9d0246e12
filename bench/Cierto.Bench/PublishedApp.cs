using System.Diagnostics;
using System.Globalization;

namespace Cierto.Bench;

/// <summary>
/// Cierto.Web published in Release and started as its own process in Production mode, so its
/// memory, CPU and managed heap are the server's alone (the load client runs in this process).
/// </summary>
internal sealed partial class PublishedApp : IAsyncDisposable
{
    private readonly Process process;

    private PublishedApp(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Pid => process.Id;

    public static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cierto.Blazor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run from the repository.");
    }

    /// <summary>Publishes Cierto.Web (Release) into a folder of its own and returns the folder.</summary>
    public static string Publish()
    {
        // One folder per checkout: two checkouts benchmarking at once (CI and a developer) must not
        // publish over each other's running app.
        var root = RepoRoot();
        var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root)))[..12];
        var output = Path.Combine(Path.GetTempPath(), $"cierto-bench-publish-{checkout}");
        var project = Path.Combine(root, "Cierto.Web");
        using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-v", "quiet", "-nologo"]) { RedirectStandardOutput = true })!;
        _ = publish.StandardOutput.ReadToEndAsync();
        publish.WaitForExit();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException("Publishing Cierto.Web failed.");
        }

        return output;
    }

    /// <summary>
    /// Starts the published app on PostgreSQL and Redis with request limits lifted (one load
    /// client signs everybody in from 127.0.0.1). <paramref name="environment"/> adds or
    /// overrides variables (GC mode, circuit options) for side-by-side runs.
    /// </summary>
    public static async Task<PublishedApp> StartAsync(string folder, int port, string postgres, string redis, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, "Cierto.Web.dll")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Cierto__DataProtection__AllowUnencryptedKeys"] = "true"; // a throwaway database
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Postgres"] = postgres;
        start.Environment["ConnectionStrings__Redis"] = redis;
        start.Environment["Cierto__Redis__Prefix"] = $"cierto-bench-{Environment.ProcessId}:";
        start.Environment["Cierto__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"cierto-bench-{Environment.ProcessId}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        LiftRequestLimits(start);

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var log = Path.Combine(Path.GetTempPath(), $"cierto-bench-app-{process.Id}.log");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Console.WriteLine($"Cierto.Web's log: {log}");
        var app = new PublishedApp(process, new Uri($"http://127.0.0.1:{port}/"));
        await app.WaitReadyAsync();
        return app;
    }

    /// <summary>One load client signs everybody in and activates from 127.0.0.1: the app's request limits would stop it.</summary>
    public static void LiftRequestLimits(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var action in new[] { "SignIn", "Activation", "Refresh" })
        {
            start.Environment[$"Cierto__Limits__{action}__PerClient"] = "100000000";
            start.Environment[$"Cierto__Limits__{action}__PerAccount"] = "100000000";
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl };
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Cierto.Web exited with {process.ExitCode}.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("Cierto.Web did not become ready.");
    }

    /// <summary>Resident memory of the server process (VmRSS), bytes.</summary>
    public long WorkingSet()
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// The managed heap after a full, blocking GC, as dotnet-gcdump reports it (the tool triggers
    /// the GC through EventPipe and walks the heap; the app needs no diagnostics endpoint).
    /// </summary>
    /// <summary>The last heap report (types by size), for a look at what the circuits hold.</summary>
    public string LastHeapReport { get; private set; } = string.Empty;

    public async Task<long> ManagedHeapAfterFullGcAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cierto-bench-{Pid}-{Guid.NewGuid():N}.gcdump");
        var counters = Path.ChangeExtension(file, ".csv");
        try
        {
            // dotnet-gcdump induces a full, blocking GC; its own totals are lossy on large heaps
            // before .NET 11, so the size comes from the runtime's counters for that collection.
            await RunToolAsync("dotnet-gcdump", "collect", "-p", Pid.ToString(CultureInfo.InvariantCulture), "-o", file);
            LastHeapReport = await RunToolAsync("dotnet-gcdump", "report", file);
            await RunToolAsync("dotnet-counters", "collect", "-p", Pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime", "--duration", "00:00:02", "--format", "csv", "-o", counters);
            return File.ReadLines(counters)
                .Select(l => l.Split(','))
                .Where(p => p.Length >= 5 && p[2].StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal))
                .GroupBy(p => p[2])
                .Sum(g => long.Parse(g.Last()[4], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
            File.Delete(counters);
        }
    }

    /// <summary>
    /// A CPU-sampling profile of the server for <paramref name="duration"/> (dotnet-trace), reduced to
    /// the methods with the most exclusive samples: what the server spends its time on under load.
    /// </summary>
    public async Task<string> ProfileAsync(TimeSpan duration)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cierto-bench-{Pid}-{Guid.NewGuid():N}.nettrace");
        try
        {
            await RunToolAsync("dotnet-trace", "collect", "-p", Pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", file, "--format", "Speedscope");
            if (Environment.GetEnvironmentVariable("CIERTO_BENCH_KEEP_PROFILE") is { Length: > 0 } keep)
            {
                File.Copy(Path.ChangeExtension(file, ".speedscope.json"), keep, overwrite: true);
            }

            return await RunToolAsync("dotnet-trace", "report", file, "topN", "-n", "30");
        }
        finally
        {
            File.Delete(file);
        }
    }


    private static async Task<string> RunToolAsync(string toolName, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [toolName, .. args])
        {
            WorkingDirectory = RepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var tool = Process.Start(start)!;
        var output = await tool.StandardOutput.ReadToEndAsync();
        var error = await tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();
        if (tool.ExitCode != 0)
        {
            throw new InvalidOperationException($"{toolName} {args[0]} failed: {output} {error}");
        }

        return output;
    }


    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
