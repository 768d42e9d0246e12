using System.Diagnostics;
using System.Text.RegularExpressions;
using Cierto.Web.Endpoints;

namespace Cierto.Web.Infrastructure.Observability;

/// <summary>
/// What a request span must not keep: a calendar feed's address is its credential (the secret is
/// the path), and an order page's <c>key</c> query value opens the order. Both are replaced by
/// <c>***</c> in the span's path and query, the same way deploy/nginx.conf.template masks them
/// in nginx's access log.
/// </summary>
internal static partial class SpanSecrets
{
    public const string Masked = "***";

    public static void Mask(Activity activity, HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        if (path.StartsWith(CalendarFeedEndpoint.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            activity.SetTag("url.path", CalendarSecret().Replace(path, "${prefix}" + Masked + "${suffix}"));
        }

        if (request.Query.ContainsKey("key"))
        {
            activity.SetTag("url.query", QueryKey().Replace(request.QueryString.Value!.TrimStart('?'), "${name}" + Masked));
        }
    }

    [GeneratedRegex(@"^(?<prefix>/calendar/)[^/]*?(?<suffix>\.ics)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CalendarSecret();

    [GeneratedRegex(@"(?<name>(^|&)key=)[^&]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryKey();
}
