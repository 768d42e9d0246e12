using System.Globalization;

namespace Cierto.Web.Components.Shared;

public static class Durations
{
    /// <summary>A point in time as the lists show it (short date and time).</summary>
    public static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);

    /// <summary>"3 d 4 h", "2 h 05 min", "7 min": short, and precise enough for a usage list.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays} d {duration.Hours} h")
            : duration.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes:00} min")
                : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)duration.TotalMinutes)} min");
    }
}
