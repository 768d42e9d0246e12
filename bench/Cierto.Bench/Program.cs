using System.Globalization;
using Cierto.Bench;

// One benchmark per run; bench/run.sh documents the arguments and starts the servers.
var command = args.Length > 0 ? args[0] : string.Empty;
int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

switch (command)
{
    case "smoke":
        // Every benchmark once, tiny and quick: CI runs this so that none of them can rot unnoticed.
        Smoke.Enabled = true;
        await GridBenchmark.RunAsync(Servers.Postgres(), 300, 3);
        await HistoryBenchmark.RunAsync(Servers.Postgres(), 20, 10, 3);
        await EventLatency.RunAsync(Servers.Redis(), 5);
        await ApiThroughput.RunAsync(Servers.Postgres(), 1);
        await CircuitLoad.RunAsync(Servers.Postgres(), Servers.Redis(), ["hold", "5"]);
        await CircuitLoad.RunAsync(Servers.Postgres(), Servers.Redis(), ["live", "1", "10", "2"]);
        await CircuitLoad.RunAsync(Servers.Postgres(), Servers.Redis(), ["churn", "10"]);
        await CircuitLoad.RunAsync(Servers.Postgres(), Servers.Redis(), ["activate", "2", "3"]);
        Console.WriteLine("Smoke run: every benchmark ran.");
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
