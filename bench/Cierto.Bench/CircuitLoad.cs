using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cierto.Circuits;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Bench;

/// <summary>
/// Blazor Server capacity, measured with the browserless circuit client against a published
/// Release build on PostgreSQL + Redis:
/// <list type="bullet">
/// <item><c>hold</c>: idle circuits (dashboards and worker pages) ramped step by step; memory, CPU and a probe's ping → render latency per step;</item>
/// <item><c>live</c>: D open dashboards while workers activate and release through the API at R per second; commit → render batch at every dashboard;</item>
/// <item><c>churn</c>: circuits opened and closed by the hundred thousand; does the working set come back?</item>
/// </list>
/// </summary>
internal static class CircuitLoad
{
    private const string Password = "Bench-pass-2026";
    private const int Port = 5198;
    private const string DashboardReady = "count-in-use";

    public static async Task RunAsync(string server, string redis, string[] args)
    {
        var scenario = args.Length > 0 ? args[0] : "live";
        var database = $"cierto_circuits_{Environment.ProcessId}";
        await Sql.DropDatabaseAsync(server, database);
        await Sql.ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 100 }.ToString();
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(new DatabaseSettings(DatabaseProvider.Postgres, connectionString)))
        {
            await db.Database.MigrateAsync();
        }

        Console.WriteLine("Publishing Cierto.Web (Release)…");
        var folder = PublishedApp.Publish();
        var environment = GcEnvironment();
        try
        {
            var companies = await SeedAsync(connectionString, companies: Smoke.Pick(50, 2), workersPerCompany: Smoke.Pick(40, 20), itemsPerCompany: Smoke.Pick(60, 20));
            await using var app = await PublishedApp.StartAsync(folder, Port, connectionString, redis, environment);
            Results.Note($"Cierto.Web pid {app.Pid}, GC: {(environment.Count == 0 ? "default (Server, DATAS)" : string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}")))}");
            using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
            using var users = new Users(handler, app.BaseUrl, companies);
            switch (scenario)
            {
                case "hold":
                    await HoldAsync(app, handler, users, args.Skip(1).Select(int.Parse).DefaultIfEmpty().Where(n => n > 0).ToArray());
                    break;
                case "live":
                    await LiveAsync(app, handler, users, connectionString, database, args.Skip(1).ToArray());
                    break;
                case "churn":
                    await ChurnAsync(app, handler, users, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
                    break;
                case "activate":
                    await ActivateAsync(app, handler, users, args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray());
                    break;
                default:
                    throw new ArgumentException($"Unknown scenario '{scenario}': hold, live, churn or activate.");
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Sql.DropDatabaseAsync(server, database);
        }
    }

    /// <summary>CIERTO_BENCH_GC=workstation|server|datas|conserve lets the same run compare GC modes.</summary>
    private static Dictionary<string, string> GcEnvironment()
    {
        var environment = GcMode();

        // CIERTO_BENCH_APP_ENV="Cierto__Circuits__DisconnectedMaxRetained=100;…" sets the server's configuration for a side-by-side run.
        foreach (var pair in (Environment.GetEnvironmentVariable("CIERTO_BENCH_APP_ENV") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            environment[pair[..at]] = pair[(at + 1)..];
        }

        return environment;
    }

    private static Dictionary<string, string> GcMode() => Environment.GetEnvironmentVariable("CIERTO_BENCH_GC") switch
    {
        "workstation" => new() { ["DOTNET_gcServer"] = "0" },
        "workstation-nonconcurrent" => new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" },
        "server" => new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" },
        "datas" => new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" },
        "conserve" => new() { ["DOTNET_gcServer"] = "0", ["DOTNET_GCConserveMemory"] = "5" },
        _ => [],
    };

    // ----- hold -------------------------------------------------------------------------------

    private static async Task HoldAsync(PublishedApp app, SocketsHttpHandler handler, Users users, int[] steps)
    {
        steps = steps.Length > 0 ? steps : [1_000, 2_000, 5_000, 10_000, 15_000];
        var open = new ConcurrentBag<CircuitClient>();
        await using var probe = await CircuitClient.OpenAsync(handler, new Uri(app.BaseUrl, "dashboard"), await users.AdminCookieAsync(0), new CircuitClientOptions { ReadyWhenRendered = DashboardReady });
        await Smoke.WaitAsync(TimeSpan.FromSeconds(2));
        var baseHeap = await app.ManagedHeapAfterFullGcAsync();
        var baseSet = app.WorkingSet();
        Results.Note($"Baseline (one probe dashboard): working set {Mb(baseSet)}, managed heap after full GC {Mb(baseHeap)}. Mix per 20 circuits: 5 dashboards (admins), 8 /activate and 7 /my-equipment (workers), over 50 companies.");
        var table = Results.Table("circuits", "open/s", "working set", "heap (GC)", "KB/circuit WS", "KB/circuit heap", "CPU (idle)", "probe p50 ms", "probe p99 ms");
        foreach (var target in steps)
        {
            var opening = Stopwatch.StartNew();
            var failures = 0;
            await Parallel.ForEachAsync(Enumerable.Range(open.Count, Math.Max(0, target - open.Count)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                try
                {
                    open.Add(await users.OpenMixAsync(i, ct));
                }
                catch (Exception ex) when (ex is CircuitClientException or HttpRequestException or TimeoutException or OperationCanceledException or IOException)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.WriteLine($"  circuit {i} failed to open: {ex.Message}");
                    }
                }
            });
            var rate = (target - failures) / Math.Max(0.001, opening.Elapsed.TotalSeconds);
            await Smoke.WaitAsync(TimeSpan.FromSeconds(5));

            var cpuBefore = app.CpuTime();
            var idle = Stopwatch.StartNew();
            var probes = new List<double>();
            while (idle.Elapsed < TimeSpan.FromSeconds(Smoke.Pick(15, 1)))
            {
                probes.Add((await probe.RoundTripAsync()).TotalMilliseconds);
                await Task.Delay(100);
            }

            var cpu = (app.CpuTime() - cpuBefore).TotalMilliseconds / idle.Elapsed.TotalMilliseconds / Environment.ProcessorCount;
            var set = app.WorkingSet();
            var heap = await app.ManagedHeapAfterFullGcAsync();
            probes.Sort();
            var count = open.Count;
            table.Add($"{count:N0}", $"{rate:0}", Mb(set), Mb(heap), $"{(set - baseSet) / 1024.0 / count:0}", $"{(heap - baseHeap) / 1024.0 / count:0}", $"{cpu:P1}", $"{Stats.Percentile(probes, 0.5):0.0}", $"{Stats.Percentile(probes, 0.99):0.0}");
            if (failures > target / 100)
            {
                Results.Note($"Stopping: {failures} circuits of this step failed to open.");
                break;
            }
        }

        Console.WriteLine();
        Console.WriteLine("What the heap holds at the last step (dotnet-gcdump report, largest types):");
        Console.WriteLine(string.Join('\n', app.LastHeapReport.Split('\n').Take(40)));
        await CloseAllAsync(open);
    }

    // ----- live -------------------------------------------------------------------------------

    private static async Task LiveAsync(PublishedApp app, SocketsHttpHandler handler, Users users, string connectionString, string database, string[] args)
    {
        var dashboardCounts = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [1, 100, 1_000, 5_000];
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        // The phones' API calls have their own connections, as they would: never queued behind the dashboards' sockets.
        using var api = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 }) { BaseAddress = app.BaseUrl };
        Results.Note($"Workers activate and release through the API at {rate} per second for {seconds} s per row; every dashboard's render batches are timed. Latency = from sending the API request to the first render batch at the dashboard after it (includes the request itself: see 'API p50').");
        var table = Results.Table("dashboards", "companies", "events", "p50 ms", "p99 ms", "max ms", "API p50", "batches/event", "KB/event", "DB tx/event", "app CPU %", "client CPU %");
        foreach (var spread in new[] { 1, 50 })
        {
            foreach (var dashboards in dashboardCounts)
            {
                if (spread > dashboards)
                {
                    continue;
                }

                table.Add(await LiveRowAsync(app, handler, users, api, connectionString, database, dashboards, spread, rate, seconds, dashboardCounts));
            }
        }
    }

    private static async Task<string[]> LiveRowAsync(PublishedApp app, SocketsHttpHandler handler, Users users, HttpClient api, string connectionString, string database, int dashboards, int spread, double rate, int seconds, int[] dashboardCounts)
    {
        var arrivals = new ConcurrentDictionary<int, List<long>>();
        var clients = new ConcurrentBag<(int Company, CircuitClient Client)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, dashboards), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var company = i % spread;
            var times = arrivals.GetOrAdd(i, _ => []);
            var options = new CircuitClientOptions
            {
                ReadyWhenRendered = DashboardReady,
                OnBatch = (_, _, at) =>
                {
                    lock (times)
                    {
                        times.Add(at);
                    }
                },
            };
            var client = await CircuitClient.OpenAsync(handler, new Uri(app.BaseUrl, "dashboard"), await users.AdminCookieAsync(company), options, ct);
            clients.Add((company, client));
            arrivals[i] = times;
        });
        var byCompany = clients.Select((c, index) => (c.Company, c.Client)).ToList();
        await Smoke.WaitAsync(TimeSpan.FromSeconds(3));
        foreach (var list in arrivals.Values)
        {
            lock (list)
            {
                list.Clear();
            }
        }

        // Workers (tokens) and their items, the same company spread as the dashboards.
        var actors = new List<(int Company, string Token, string Code)>();
        for (var i = 0; i < Math.Max(20, spread); i++)
        {
            var company = i % spread;
            actors.Add((company, await users.WorkerTokenAsync(api, company, i / spread), users.Code(company, i / spread)));
        }

        var sessions = new Guid?[actors.Count];

        // Tiered JIT, connection pools and the dashboards' first refreshes settle before anything is timed.
        await DriveAsync(api, actors, sessions, rate, TimeSpan.FromSeconds(Smoke.Pick(5, 1)), null);
        await Smoke.WaitAsync(TimeSpan.FromSeconds(1));
        foreach (var list in arrivals.Values)
        {
            lock (list)
            {
                list.Clear();
            }
        }

        var batchesBefore = byCompany.Sum(c => c.Client.Batches);
        var bytesBefore = byCompany.Sum(c => c.Client.BatchBytes);
        var events = new List<(int Company, long Sent, long Answered)>();
        var xactBefore = await TransactionsAsync(connectionString, database);
        var cpuBefore = app.CpuTime();
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var profile = Environment.GetEnvironmentVariable("CIERTO_BENCH_PROFILE") == "1" && dashboards == dashboardCounts.Max()
            ? app.ProfileAsync(TimeSpan.FromSeconds(Math.Min(10, seconds)))
            : Task.FromResult(string.Empty);
        await DriveAsync(api, actors, sessions, rate, TimeSpan.FromSeconds(seconds), events);
        await Smoke.WaitAsync(TimeSpan.FromSeconds(2));
        if (await profile is { Length: > 0 } top)
        {
            Console.WriteLine($"CPU profile of the server during the row with {dashboards:N0} dashboards (exclusive samples):");
            Console.WriteLine(top);
        }

        var cpu = (app.CpuTime() - cpuBefore).TotalMilliseconds / wall.Elapsed.TotalMilliseconds / Environment.ProcessorCount;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalMilliseconds / wall.Elapsed.TotalMilliseconds / Environment.ProcessorCount;
        var xact = await TransactionsAsync(connectionString, database) - xactBefore;

        // Latency per (event, dashboard of its company): the first batch that dashboard received after the request was sent.
        var latencies = new List<double>();
        var dashboardsOf = Enumerable.Range(0, dashboards).GroupBy(i => i % spread).ToDictionary(g => g.Key, g => g.Select(i => arrivals[i]).ToList());
        foreach (var (company, sent, _) in events)
        {
            foreach (var times in dashboardsOf[company])
            {
                long first;
                lock (times)
                {
                    first = times.Where(t => t > sent).DefaultIfEmpty(long.MaxValue).Min();
                }

                if (first != long.MaxValue)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, first).TotalMilliseconds);
                }
            }
        }

        latencies.Sort();
        var apiTimes = events.Select(e => Stopwatch.GetElapsedTime(e.Sent, e.Answered).TotalMilliseconds).Order().ToList();
        var expected = events.Sum(e => dashboardsOf[e.Company].Count);
        var batches = byCompany.Sum(c => c.Client.Batches) - batchesBefore;
        var bytes = byCompany.Sum(c => c.Client.BatchBytes) - bytesBefore;
        await CloseAllAsync(byCompany.Select(c => c.Client));

        // Leave every item free for the next row.
        await DriveAsync(api, actors, sessions, 1000, TimeSpan.Zero, null, onlyEnd: true);
        var missed = expected - latencies.Count;
        // Dashboard·events that never rendered (a dashboard skips pictures it has not caught up with) are shown with the events.
        return [$"{dashboards:N0}", $"{spread}", missed > 0 ? $"{events.Count} ({missed:N0} not rendered)" : $"{events.Count}", $"{Stats.Percentile(latencies, 0.5):0.0}", $"{Stats.Percentile(latencies, 0.99):0.0}", $"{latencies[^1]:0.0}", $"{Stats.Percentile(apiTimes, 0.5):0.0}", $"{(double)batches / events.Count:0.0}", $"{bytes / 1024.0 / events.Count:0.0}", $"{(double)xact / events.Count:0.0}", $"{cpu:P0}", $"{clientCpu:P0}"];
    }

    /// <summary>
    /// Workers take turns at <paramref name="rate"/> API calls per second: each call activates the
    /// worker's item, or ends the session the previous call started.
    /// </summary>
    private static async Task DriveAsync(HttpClient api, List<(int Company, string Token, string Code)> actors, Guid?[] sessions, double rate, TimeSpan duration, List<(int Company, long Sent, long Answered)>? events, bool onlyEnd = false)
    {
        var wall = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var pending = new List<Task>();
        var busy = new bool[actors.Count];
        for (var n = 0; onlyEnd ? n < actors.Count : wall.Elapsed < duration; n++)
        {
            var due = interval * n;
            if (due > wall.Elapsed)
            {
                await Task.Delay(due - wall.Elapsed);
            }

            var a = n % actors.Count;
            if (busy[a] || (onlyEnd && sessions[a] is null))
            {
                continue;
            }

            busy[a] = true;
            pending.Add(Task.Run(async () =>
            {
                var (company, token, code) = actors[a];
                var sent = Stopwatch.GetTimestamp();
                using var request = sessions[a] is { } session
                    ? new HttpRequestMessage(HttpMethod.Post, $"api/v1/activations/{session}/end")
                    : new HttpRequestMessage(HttpMethod.Post, "api/v1/activations") { Content = JsonContent.Create(new { activationCode = code }) };
                request.Headers.Authorization = new("Bearer", token);
                using var response = await api.SendAsync(request);
                var answered = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                sessions[a] = sessions[a] is null ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetGuid() : null;
                if (events is not null)
                {
                    lock (events)
                    {
                        events.Add((company, sent, answered));
                    }
                }

                busy[a] = false;
            }));
        }

        await Task.WhenAll(pending);
    }

    private static async Task<long> TransactionsAsync(string connectionString, string database)
    {
        // An idle backend flushes its statistics within PGSTAT_IDLE_INTERVAL (10 s).
        await Smoke.WaitAsync(TimeSpan.FromSeconds(11));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // ----- churn ------------------------------------------------------------------------------

    private static async Task ChurnAsync(PublishedApp app, SocketsHttpHandler handler, Users users, int total)
    {
        await users.WarmAsync();
        var warmUp = Smoke.Pick(2_000, 10);
        await ChurnBatchAsync(users, warmUp);
        await Smoke.WaitAsync(TimeSpan.FromSeconds(5));
        var baseSet = app.WorkingSet();
        var baseHeap = await app.ManagedHeapAfterFullGcAsync();
        var baseTypes = HeapTypes(app.LastHeapReport);
        Results.Note($"After {warmUp:N0} warm-up circuits: working set {Mb(baseSet)}, managed heap {Mb(baseHeap)}.");
        var table = Results.Table("circuits", "per s", "working set", "vs start", "heap (GC)", "failed");
        var done = 0;
        var watch = Stopwatch.StartNew();
        var report = Math.Max(total / 5, 1);
        while (done < total)
        {
            var batch = Math.Min(report, total - done);
            var failed = await ChurnBatchAsync(users, batch);
            done += batch;
            var set = app.WorkingSet();
            table.Add($"{done:N0}", $"{done / watch.Elapsed.TotalSeconds:0}", Mb(set), $"{(double)(set - baseSet) / baseSet:+0.0%;-0.0%}", "", $"{failed}");
        }

        // A circuit closed while the server awaited a JS interop call stays reachable until that call
        // times out (CircuitOptions.JSInteropDefaultCallTimeout, one minute); measure after it.
        var settle = Smoke.Pick(TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("CIERTO_BENCH_CHURN_SETTLE_SECONDS") ?? "70", CultureInfo.InvariantCulture)), TimeSpan.Zero);
        await Task.Delay(settle);
        var endHeap = await app.ManagedHeapAfterFullGcAsync();
        var endSet = app.WorkingSet();
        table.Add($"{settle.TotalSeconds:0} s after the last close", "", Mb(endSet), $"{(double)(endSet - baseSet) / baseSet:+0.0%;-0.0%}", $"{Mb(endHeap)} ({(double)(endHeap - baseHeap) / baseHeap:+0.0%;-0.0%})", "");
        Console.WriteLine();
        Console.WriteLine("What grew on the heap (dotnet-gcdump report after the full GC, end minus start, by object count):");
        foreach (var (type, (count, bytes)) in HeapTypes(app.LastHeapReport)
            .Select(t => (t.Key, (t.Value.Count - baseTypes.GetValueOrDefault(t.Key).Count, t.Value.Bytes - baseTypes.GetValueOrDefault(t.Key).Bytes)))
            .OrderByDescending(t => t.Item2.Item1).Take(25))
        {
            Console.WriteLine($"{count,10:N0} objects {bytes,14:N0} bytes  {type}");
        }
    }

    /// <summary>Types of a dotnet-gcdump report: "bytes count type" lines.</summary>
    private static Dictionary<string, (long Count, long Bytes)> HeapTypes(string report) => report.Split('\n')
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s*$"))
        .Where(m => m.Success)
        .GroupBy(m => m.Groups[3].Value)
        .ToDictionary(g => g.Key, g => (g.Sum(m => long.Parse(m.Groups[2].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)), g.Sum(m => long.Parse(m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))));

    private static async Task<int> ChurnBatchAsync(Users users, int count)
    {
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            try
            {
                var client = await users.OpenMixAsync(i, ct);
                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is CircuitClientException or HttpRequestException or TimeoutException or OperationCanceledException or IOException)
            {
                Interlocked.Increment(ref failed);
            }
        });
        return failed;
    }

    private static async Task CloseAllAsync(IEnumerable<CircuitClient> clients) =>
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) => await c.DisposeAsync());

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:N0} MB";

    // ----- activate ---------------------------------------------------------------------------

    /// <summary>
    /// The web path of an activation, as a worker's phone drives it: circuits on /activate type an
    /// item's code and submit the form (circuit event → UsageService → render of the answer), one
    /// activation after another per circuit, every circuit at once. Each circuit is its own worker
    /// and takes items no other circuit takes. Reports the time from submit to the rendered answer
    /// and the app's CPU per activation (the same measure as the API benchmark's).
    /// </summary>
    private static async Task ActivateAsync(PublishedApp app, SocketsHttpHandler handler, Users users, int[] args)
    {
        var circuits = args.Length > 0 ? args[0] : 16;
        var each = args.Length > 1 ? args[1] : 20;
        var open = new List<(CircuitClient Client, List<string> Codes)>();
        for (var i = 0; i < circuits; i++)
        {
            var (company, slot) = (i % users.Companies, i / users.Companies);
            var codes = users.Codes(company).Skip(slot * each).Take(each).ToList();
            if (codes.Count < each)
            {
                throw new ArgumentException($"{circuits} circuits of {each} activations need more items per company than were seeded.");
            }

            open.Add((await CircuitClient.OpenAsync(handler, new Uri(app.BaseUrl, "activate"), await users.WorkerCookieAsync(company, slot), new CircuitClientOptions { InspectBatches = true }), codes));
        }

        await Smoke.WaitAsync(TimeSpan.FromSeconds(2));
        var latencies = new ConcurrentBag<double>();
        var refused = 0;
        long Sum(Func<CircuitClient, long> counter) => open.Sum(o => counter(o.Client));
        var (batchesBefore, rendersBefore, bytesBefore, interopBefore) = (Sum(c => c.Batches), Sum(c => c.ComponentRenders), Sum(c => c.BatchBytes), Sum(c => c.InteropCalls));
        var cpuBefore = app.CpuTime();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(open.Select(async circuit =>
        {
            foreach (var code in circuit.Codes)
            {
                await circuit.Client.TypeAsync(code);
                var answered = circuit.Client.WaitForBatchAsync(b => b.Elements().Any(e => e.Attributes.GetValueOrDefault("data-testid") is "activation-success" or "activation-error"), TimeSpan.FromSeconds(30));
                var started = Stopwatch.GetTimestamp();
                await circuit.Client.SubmitAsync();
                var batch = await answered;
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!batch.Elements().Any(e => e.Attributes.GetValueOrDefault("data-testid") == "activation-success"))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        wall.Stop();
        var cpu = app.CpuTime() - cpuBefore;
        double PerActivation(long after, long before) => (after - before) / (double)Math.Max(1, latencies.Count);
        var (batches, renders, kb, interop) = (PerActivation(Sum(c => c.Batches), batchesBefore), PerActivation(Sum(c => c.ComponentRenders), rendersBefore), PerActivation(Sum(c => c.BatchBytes), bytesBefore) / 1024, PerActivation(Sum(c => c.InteropCalls), interopBefore));
        await CloseAllAsync(open.Select(o => o.Client));

        var sorted = latencies.Order().ToList();
        Results.Table("circuits", "activations", "per s", "p50 ms", "p99 ms", "app CPU ms/activation", "refused", "batches/activation", "renders/activation", "KB/activation", "JS calls/activation")
            .Add($"{circuits}", $"{sorted.Count}", $"{sorted.Count / wall.Elapsed.TotalSeconds:0}", $"{Stats.Percentile(sorted, 0.5):0.0}", $"{Stats.Percentile(sorted, 0.99):0.0}", $"{cpu.TotalMilliseconds / sorted.Count:0.00}", $"{refused}", $"{batches:0.0}", $"{renders:0.0}", $"{kb:0.0}", $"{interop:0.0}");
    }

    // ----- people -----------------------------------------------------------------------------

    private sealed record SeededCompany(Guid Id, string AdminEmail, IReadOnlyList<string> WorkerEmails, IReadOnlyList<string> Codes);

    /// <summary>Signs people in once (the form, like a browser) and reuses their cookies for many tabs.</summary>
    private sealed class Users(SocketsHttpHandler handler, Uri baseUrl, IReadOnlyList<SeededCompany> companies) : IDisposable
    {
        private const int SignedInWorkersPerCompany = 4;
        private readonly ConcurrentDictionary<string, Task<string>> cookies = new();
        private readonly HttpClient http = new(handler, disposeHandler: false) { BaseAddress = baseUrl };

        public void Dispose() => http.Dispose();

        public Task<string> AdminCookieAsync(int company) => CookieAsync(companies[company % companies.Count].AdminEmail);

        public string Code(int company, int worker) => companies[company % companies.Count].Codes[worker];

        public int Companies => companies.Count;

        public IReadOnlyList<string> Codes(int company) => companies[company].Codes;

        public Task<string> WorkerCookieAsync(int company, int worker) => CookieAsync(companies[company].WorkerEmails[worker]);

        public async Task WarmAsync()
        {
            foreach (var company in Enumerable.Range(0, companies.Count))
            {
                await AdminCookieAsync(company);
                for (var w = 0; w < SignedInWorkersPerCompany; w++)
                {
                    await CookieAsync(companies[company].WorkerEmails[w]);
                }
            }
        }

        /// <summary>Circuit i of the realistic mix: of every 20, 5 dashboards, 8 /activate, 7 /my-equipment.</summary>
        public async Task<CircuitClient> OpenMixAsync(int i, CancellationToken cancellationToken)
        {
            var company = companies[i % companies.Count];
            var slot = i / companies.Count % 20;
            var (path, email, ready) = slot switch
            {
                < 5 => ("dashboard", company.AdminEmail, DashboardReady),
                < 13 => ("activate", company.WorkerEmails[i % SignedInWorkersPerCompany], (string?)null),
                _ => ("my-equipment", company.WorkerEmails[i % SignedInWorkersPerCompany], (string?)null),
            };
            return await CircuitClient.OpenAsync(handler, new Uri(baseUrl, path), await CookieAsync(email), new CircuitClientOptions { ReadyWhenRendered = ready }, cancellationToken);
        }

        public async Task<string> WorkerTokenAsync(HttpClient api, int company, int worker)
        {
            var login = await api.PostAsJsonAsync("api/v1/auth/login", new { email = companies[company].WorkerEmails[worker], password = Password });
            login.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
        }

        private Task<string> CookieAsync(string email) => cookies.GetOrAdd(email, SignInAsync);

        private async Task<string> SignInAsync(string email)
        {
            var form = await http.GetAsync(new Uri("Account/Login", UriKind.Relative));
            var html = await form.Content.ReadAsStringAsync();
            var antiforgery = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
            var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            using var request = new HttpRequestMessage(HttpMethod.Post, "Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.Email"] = email,
                    ["Input.Password"] = Password,
                    ["_handler"] = "login",
                    ["__RequestVerificationToken"] = token,
                }),
            };
            request.Headers.Add("Cookie", string.Join("; ", antiforgery));
            using var response = await http.SendAsync(request);
            var auth = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]).Where(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).ToList() : [];
            return auth.Count == 1 ? auth[0] : throw new InvalidOperationException($"Signing {email} in failed ({(int)response.StatusCode}).");
        }
    }

    /// <summary>Companies with an admin, workers and items (activation codes known), in bulk SQL.</summary>
    private static async Task<IReadOnlyList<SeededCompany>> SeedAsync(string connectionString, int companies, int workersPerCompany, int itemsPerCompany)
    {
        var hash = new PasswordHasher<CiertoUser>().HashPassword(new CiertoUser(), Password);
        var seeded = new List<SeededCompany>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var c = 0; c < companies; c++)
        {
            var company = Guid.NewGuid();
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""INSERT INTO "Companies" ("Id", "Name", "IdentificationNumber", "JoinCode", "Status", "JoinPolicy", "CreatedAt") VALUES ($1, $2, $3, $4, 0, 0, now())""")
            {
                Parameters = { new() { Value = company }, new() { Value = $"Circuit Builders {c}" }, new() { Value = $"CIRC{c:000}" }, new() { Value = Codes.Generate(8) } },
            });
            var emails = new List<string>();
            for (var u = 0; u <= workersPerCompany; u++)
            {
                var id = Guid.NewGuid();
                var email = u == 0 ? $"admin{c}@circuits.test" : $"w{c}-{u}@circuits.test";
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp",
                        "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "DisplayName", "CompanyId", "Status", "CreatedAt")
                    VALUES ($1, $2, upper($2), $2, upper($2), true, $3, md5($2), md5($2), false, false, true, 0, $4, $5, 1, now())
                    """) { Parameters = { new() { Value = id }, new() { Value = email }, new() { Value = hash }, new() { Value = u == 0 ? $"Admin {c}" : $"Worker {c}-{u}" }, new() { Value = company } } });
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ($1, $2)""")
                {
                    Parameters = { new() { Value = id }, new() { Value = Roles.Ids[u == 0 ? Roles.CompanyAdmin : Roles.Worker] } },
                });
                if (u > 0)
                {
                    emails.Add(email);
                }
            }

            var codes = new List<string>();
            for (var i = 0; i < itemsPerCompany; i++)
            {
                var code = Codes.Generate(7);
                codes.Add(code);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO "Equipment" ("Id", "CompanyId", "Name", "InventoryNumber", "ActivationCode", "Status", "CreatedAt", "UpdatedAt", "Version")
                    VALUES (gen_random_uuid(), $1, $2, $3, $4, 0, now(), now(), gen_random_uuid())
                    """) { Parameters = { new() { Value = company }, new() { Value = $"Item {c}-{i}" }, new() { Value = $"INV-{c}-{i}" }, new() { Value = code } } });
            }

            await batch.ExecuteNonQueryAsync();
            seeded.Add(new SeededCompany(company, $"admin{c}@circuits.test", emails, codes));
        }

        return seeded;
    }
}
