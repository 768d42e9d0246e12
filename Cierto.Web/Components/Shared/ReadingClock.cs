using System.Globalization;
using Cierto.Domain.Common;

namespace Cierto.Web.Components.Shared;

/// <summary>
/// How a person reads times: in their company's zone (stored times stay UTC), formatted for
/// their language. Staff, who look at many companies, read UTC and see it named.
/// </summary>
public sealed class ReadingClock
{
    public static readonly ReadingClock Utc = new(CompanyTime.Default, nameZone: true);

    public ReadingClock(string? zoneId, bool nameZone = false)
    {
        ZoneId = string.IsNullOrWhiteSpace(zoneId) ? CompanyTime.Default : zoneId;
        Zone = CompanyTime.Zone(ZoneId);
        NameZone = nameZone;
    }

    public string ZoneId { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Whether times carry the zone's name ("14:05 UTC").</summary>
    public bool NameZone { get; }

    private string Suffix => NameZone ? " " + ZoneId : string.Empty;

    /// <summary>Date and time: "26/11/2026 14:05" (in the reader's language's format).</summary>
    public string Local(DateTimeOffset at) => Write(CompanyTime.ToLocal(Zone, at), "g");

    /// <summary>Time of day: "14:05".</summary>
    public string Time(DateTimeOffset at) => Write(CompanyTime.ToLocal(Zone, at), "t");

    /// <summary>"today 17:05", "tomorrow 09:00", "yesterday 17:05", else the date and time: how people say when something started.</summary>
    public string Relative(DateTimeOffset at, DateTimeOffset now) => CompanyTime.Describe(Zone, at, now) + Suffix;

    private string Write(DateTimeOffset local, string format) => local.ToString(format, CultureInfo.CurrentCulture) + Suffix;

    /// <summary>The instant a date picked in the company's calendar begins.</summary>
    public DateTimeOffset StartOf(DateTime date) => CompanyTime.Instant(Zone, date.Date);
}
