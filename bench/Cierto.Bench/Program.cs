using System.Diagnostics;
using System.Globalization;
using Cierto.Bench;

// One benchmark per run, or all of them; bench/run.sh documents the arguments and starts the servers.
var command = args.Length > 0 ? args[0] : string.Empty;
int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

switch (command)
{
    case "smoke":
        // Every benchmark once, tiny and quick: CI runs this so that none of them (nor the results file) can rot unnoticed.
        Smoke.Enabled = true;
        await RunAllAsync(Path.Combine(Path.GetTempPath(), $"cierto-bench-smoke-{Environment.ProcessId}.md"));
        Console.WriteLine("Smoke run: every benchmark ran.");
        break;
    case "all":
        // Every benchmark at its documented size, one Markdown table each, in a file named by date and commit.
        var commit = Environment.GetEnvironmentVariable("CIERTO_BENCH_COMMIT") is { Length: > 0 } c ? c : "unknown";
        await RunAllAsync(args.Length > 1 ? args[1] : Path.Combine("bench", "results", $"{DateTime.UtcNow:yyyy-MM-dd-HHmm}-{commit}.md"));
        Console.WriteLine($"Results: {Results.Path}");
        break;
    case "history":
        // Dashboard snapshot and usage history: workers, days of history, timed runs per scenario.
        await HistoryBenchmark.RunAsync(Servers.Postgres(), Argument(1, 500), Argument(2, 365), Argument(3, 100));
        break;
    case "events":
        await EventLatency.RunAsync(Servers.Redis(), Argument(1, 200));
        break;
    case "circuits":
        await CircuitLoad.RunAsync(Servers.Postgres(), Servers.Redis(), args[1..]);
        break;
    case "api":
        await ApiThroughput.RunAsync(Servers.Postgres(), Argument(1, 10));
        break;
    default:
        // The equipment grid: items, then timed runs per scenario.
        await GridBenchmark.RunAsync(Servers.Postgres(), Argument(0, 100_000), Argument(1, 100));
        break;
}

static async Task RunAllAsync(string path)
{
    var (postgres, redis) = (Servers.Postgres(), Servers.Redis());
    var watch = Stopwatch.StartNew();
    Results.Start(path, Smoke.Enabled ? "Cierto benchmarks, smoke mode (the figures mean nothing)" : "Cierto benchmarks", await Servers.PostgresVersionAsync(postgres), await Servers.RedisVersionAsync(redis));

    Results.Heading("Equipment grid (`./bench/run.sh`)");
    await GridBenchmark.RunAsync(postgres, Smoke.Pick(100_000, 300), Smoke.Pick(100, 3));
    if (!Smoke.Enabled)
    {
        Results.Heading("Equipment grid, 1,000,000 items (`./bench/run.sh 1000000 30`)");
        await GridBenchmark.RunAsync(postgres, 1_000_000, 30);
    }

    Results.Heading("Dashboard and usage history (`./bench/run.sh history`)");
    await HistoryBenchmark.RunAsync(postgres, Smoke.Pick(500, 20), Smoke.Pick(365, 10), Smoke.Pick(100, 3));
    Results.Heading("Live events through Redis (`./bench/run.sh events`)");
    await EventLatency.RunAsync(redis, Smoke.Pick(200, 5));
    Results.Heading("API activate + end vs pgbench (`./bench/run.sh api`)");
    await ApiThroughput.RunAsync(postgres, Smoke.Pick(10, 1));
    string[][] circuits = Smoke.Enabled
        ? [["hold", "5"], ["live", "1", "10", "2"], ["churn", "10"], ["activate", "2", "3"]]
        : [["hold", "1000", "2000", "5000", "10000"], ["live", "1,100,1000", "20", "15"], ["churn", "3000"], ["activate", "16", "20"]];
    foreach (var scenario in circuits)
    {
        Results.Heading($"Circuits: {scenario[0]} (`./bench/run.sh circuits {string.Join(' ', scenario)}`)");
        await CircuitLoad.RunAsync(postgres, redis, scenario);
    }

    Results.Finish(watch.Elapsed);
}
