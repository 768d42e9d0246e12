using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cierto.Bench;

/// <summary>
/// Where the figures go: always the console; in <c>./bench/run.sh all</c> (and smoke mode, so the
/// writer cannot rot) also a Markdown file that starts with the date, the machine and the commit
/// and holds one heading, its notes and its table per benchmark, ready for bench/README.md.
/// </summary>
internal static class Results
{
    private static StreamWriter? file;

    public static string? Path { get; private set; }

    /// <summary>Opens the results file and writes what the figures depend on: when, where, what.</summary>
    public static void Start(string path, string title, string postgresVersion, string redisVersion)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        file = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        Path = path;
        file.WriteLine($"# {title}");
        file.WriteLine();
        file.WriteLine($"- date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        var commit = Environment.GetEnvironmentVariable("CIERTO_BENCH_COMMIT");
        file.WriteLine($"- commit: {(string.IsNullOrEmpty(commit) ? "unknown (run through bench/run.sh)" : commit)}");
        file.WriteLine($"- machine: {Environment.ProcessorCount} cores ({Machine.CpuModel()}), {Machine.MemoryGib():0.0} GiB memory, load average at start {Machine.LoadAverage()}");
        file.WriteLine($"- software: {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, PostgreSQL {postgresVersion}, Redis {redisVersion}");
    }

    /// <summary>A benchmark's heading.</summary>
    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine($"== {text} ==");
        file?.WriteLine();
        file?.WriteLine($"## {text}");
    }

    /// <summary>A line that says how the figures below were made (sizes, seed time, baseline).</summary>
    public static void Note(string text)
    {
        Console.WriteLine(text);
        file?.WriteLine();
        file?.WriteLine(text);
    }

    /// <summary>A table whose header is written now and whose rows are written as they are measured.</summary>
    public static ResultTable Table(params string[] headers) => new(headers, file);

    public static void Finish(TimeSpan elapsed)
    {
        file?.WriteLine();
        file?.WriteLine($"Whole run: {elapsed.TotalMinutes:0} minutes.");
        file?.Dispose();
        file = null;
    }
}

/// <summary>
/// One table: on the console the first column left-aligned and the others right-aligned under
/// their headers; in the results file a Markdown table (numbers right-aligned).
/// </summary>
internal sealed class ResultTable
{
    private readonly int[] widths;
    private readonly StreamWriter? file;

    public ResultTable(string[] headers, StreamWriter? file)
    {
        this.file = file;
        // Scenario names run to about 36 characters; numbers fit their headers.
        widths = headers.Select((h, i) => Math.Max(h.Length, i == 0 ? 36 : 8)).ToArray();
        Console.WriteLine(Aligned(headers));
        file?.WriteLine();
        file?.WriteLine(Markdown(headers));
        file?.WriteLine(Markdown(headers.Select((_, i) => i == 0 ? "---" : "---:")));
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != widths.Length)
        {
            throw new ArgumentException($"{widths.Length} cells expected, {cells.Length} given.", nameof(cells));
        }

        Console.WriteLine(Aligned(cells));
        file?.WriteLine(Markdown(cells));
    }

    private string Aligned(IReadOnlyList<string> cells) =>
        string.Join(' ', cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));

    private static string Markdown(IEnumerable<string> cells) => $"| {string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))} |";
}

/// <summary>What the machine is, read from Linux's /proc where it has it.</summary>
internal static class Machine
{
    public static string CpuModel() =>
        ProcLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

    public static double MemoryGib() =>
        ProcLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0;

    public static string LoadAverage() =>
        ProcLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "unknown";

    private static string[] ProcLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
