using System.Collections.Concurrent;

namespace Cierto.Domain.Common;

/// <summary>
/// A company's clock: its IANA time zone, in which people read every time and in which "today"
/// begins. Stored times stay UTC; only reading and day boundaries use the zone.
/// </summary>
public static class CompanyTime
{
    public const string Default = "UTC";
    public const int MaxLength = 64;

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>The zone of an IANA id; UTC for an unknown one (a zone removed from tzdata must not break a page).</summary>
    public static TimeZoneInfo Zone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : Zones.GetOrAdd(id, static key => TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : TimeZoneInfo.Utc);

    public static bool IsKnown(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxLength && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    /// <summary>IANA ids to choose from, sorted.</summary>
    public static IReadOnlyList<string> Choices { get; } = TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Append(Default).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The instant (in UTC) at which a local wall-clock time begins in the zone (a time skipped by a DST change moves to the first valid instant after it).</summary>
    public static DateTimeOffset Instant(TimeZoneInfo zone, DateTime wallClock)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        // An hour that happens twice (clocks go back) starts at its first occurrence.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime(); // stored times and queries are UTC
    }

    /// <summary>The start of the company's day that contains <paramref name="at"/>.</summary>
    public static DateTimeOffset DayStart(TimeZoneInfo zone, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Instant(zone, TimeZoneInfo.ConvertTime(at, zone).Date);
    }

    public static DateTimeOffset ToLocal(TimeZoneInfo zone, DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone);

    /// <summary>
    /// How people say when something happens on the company's clock, in the current language:
    /// "today 17:05", "tomorrow 09:00", "yesterday 17:05", else the date and time.
    /// </summary>
    public static string Describe(TimeZoneInfo zone, DateTimeOffset at, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = ToLocal(zone, at);
        var today = ToLocal(zone, now).Date;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        var time = local.ToString("t", culture);
        return local.Date == today ? Localization.Texts.Format("today {0}", time)
            : local.Date == today.AddDays(1) ? Localization.Texts.Format("tomorrow {0}", time)
            : local.Date == today.AddDays(-1) ? Localization.Texts.Format("yesterday {0}", time)
            : local.ToString("g", culture);
    }

    /// <inheritdoc cref="Describe(TimeZoneInfo, DateTimeOffset, DateTimeOffset)"/>
    public static string Describe(string? zoneId, DateTimeOffset at, DateTimeOffset now) => Describe(Zone(zoneId), at, now);
}
