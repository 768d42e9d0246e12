using System.Text;
using Cierto.Domain.Bookings;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Cierto.Web.Endpoints;

/// <summary>
/// A worker's bookings as an iCalendar feed (RFC 5545) for their phone's or desk's calendar app.
/// Calendar apps cannot sign in: the secret in the address is the credential, so the address is
/// anonymous, answers a missing, revoked or mistyped secret with the same 404, and is never cached
/// by a proxy.
/// </summary>
internal static class CalendarFeedEndpoint
{
    public const string PathPrefix = "/calendar/";

    public static string PathFor(string secret) => $"{PathPrefix}{secret}.ics";

    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PathPrefix + "{secret}.ics", async (string secret, CalendarFeeds feeds, HttpContext http, CancellationToken cancellationToken) =>
        {
            http.Response.Headers.CacheControl = "private, no-store";
            var feed = await feeds.ReadAsync(secret, cancellationToken);
            return feed is null
                ? Results.NotFound()
                : Results.Bytes(Encoding.UTF8.GetBytes(Write(feed, http.Request.Host.Host)), "text/calendar; charset=utf-8", "cierto-bookings.ics");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Times in UTC (every calendar app shows them in its own zone); one event per booking, its id stable across reads.</summary>
    public static string Write(CalendarFeed feed, string host)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var calendar = new Calendar { ProductId = "-//Cierto//Bookings//EN" };
        calendar.AddProperty("X-WR-CALNAME", $"Cierto — {feed.CompanyName}");
        foreach (var entry in feed.Entries)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{entry.Id:N}@{host}",
                Summary = entry.InventoryNumber is null ? entry.EquipmentName : $"{entry.EquipmentName} ({entry.InventoryNumber})",
                Description = entry.Note,
                DtStart = new CalDateTime(entry.StartsAt.UtcDateTime, CalDateTime.UtcTzId),
                DtEnd = new CalDateTime(entry.EndsAt.UtcDateTime, CalDateTime.UtcTzId),
                DtStamp = new CalDateTime(entry.CreatedAt.UtcDateTime, CalDateTime.UtcTzId),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }
}
