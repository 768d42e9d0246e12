namespace Cierto.Bench;

/// <summary>
/// Smoke mode (<c>bench/run.sh smoke</c>, run by CI through <c>Cierto.Tests/Bench</c>): every
/// benchmark end to end at tiny sizes with short waits, so a change that breaks a benchmark (a
/// renamed column in its seed SQL, a changed service signature, a page that no longer renders)
/// fails CI. The figures it prints mean nothing and nothing asserts them.
/// </summary>
internal static class Smoke
{
    public static bool Enabled { get; set; }

    /// <summary>The full-run value, or the smoke value in smoke mode.</summary>
    public static T Pick<T>(T full, T smoke) => Enabled ? smoke : full;

    /// <summary>A settling wait, cut to a fifth of a second in smoke mode.</summary>
    public static Task WaitAsync(TimeSpan full) => Task.Delay(Enabled ? TimeSpan.FromMilliseconds(Math.Min(200, full.TotalMilliseconds)) : full);
}
