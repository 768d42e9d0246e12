using System.Globalization;
using Cierto.Domain.Localization;

namespace Cierto.Web.Components.Shared;

public static class Durations
{
    /// <summary>"3 d 4 h", "2 h 05 min", "7 min": short, and precise enough for a usage list.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalDays >= 1
            ? Texts.Format("{0} d {1} h", (int)duration.TotalDays, duration.Hours)
            : duration.TotalHours >= 1
                ? Texts.Format("{0} h {1:00} min", (int)duration.TotalHours, duration.Minutes)
                : Texts.Format("{0} min", Math.Max(0, (int)duration.TotalMinutes));
    }
}
