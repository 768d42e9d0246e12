namespace Cierto.Web.Infrastructure;

/// <summary>Where a form may send the browser back to: a path on this site, never another host.</summary>
internal static class LocalUrls
{
    /// <summary>
    /// "/admin/workers" for "admin/workers" or "/admin/workers"; "/" for an empty address and for
    /// anything a browser could read as another host ("//evil", "/\evil", "\evil", absolute URLs).
    /// </summary>
    public static string OrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 }
            && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative)
            && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            && !returnUrl.StartsWith('\\')
            ? "/" + returnUrl.TrimStart('/')
            : "/";
}
