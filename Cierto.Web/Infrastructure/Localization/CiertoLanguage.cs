using System.Globalization;
using System.Security.Claims;
using Cierto.Domain.Localization;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace Cierto.Web.Infrastructure.Localization;

/// <summary>
/// Which language a request is answered in: the signed-in person's own setting, else the language
/// chosen with the switcher (the culture cookie: plain text, so every instance reads it), else the
/// first language of <c>Accept-Language</c> that Cierto speaks, else English. Dates and numbers
/// follow the browser's region when it speaks the chosen language ("en-US" keeps US dates), else
/// that language's usual format.
/// </summary>
public sealed class CiertoLanguage(bool pseudoAllowed) : RequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var browser = httpContext.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Value.HasValue && l.Value.Value != "*")
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value!)
            .ToList();
        var language = Choose((await SignedInAsync(httpContext))?.LanguageOf(), Cookie(httpContext), browser);
        if (language == Languages.Pseudo && !pseudoAllowed)
        {
            language = Choose(null, null, browser);
        }

        var format = browser.FirstOrDefault(b => Languages.Supported(b) == language && IsSpecific(b)) ?? Languages.DefaultFormat(language);
        return new ProviderCultureResult(format, language);
    }

    /// <summary>
    /// The person behind the request's cookie or bearer token. This runs before authentication, so
    /// it asks the scheme itself; the scheme keeps the answer for the rest of the request.
    /// </summary>
    private static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            return context.User;
        }

        var scheme = context.Request.Headers.Authorization.Count > 0 ? IdentityConstants.BearerScheme
            : context.Request.Cookies.ContainsKey(IdentityCookie) ? IdentityConstants.ApplicationScheme
            : null;
        return scheme is null ? null : (await context.AuthenticateAsync(scheme)).Principal;
    }

    /// <summary>The name Identity gives its sign-in cookie (the cookie handler's prefix and the scheme).</summary>
    private static readonly string IdentityCookie = CookieAuthenticationDefaults.CookiePrefix + IdentityConstants.ApplicationScheme;

    /// <summary>The first of: the person's setting, the switcher's cookie, the browser's languages in order; English otherwise.</summary>
    public static string Choose(string? setting, string? cookie, IEnumerable<string> browser) =>
        Languages.Supported(setting) ?? Languages.Supported(cookie) ?? browser.Select(Languages.Supported).FirstOrDefault(l => l is not null) ?? Languages.English;

    /// <summary>The cookie the switcher writes (ASP.NET Core's culture cookie format, UI culture only).</summary>
    public static string CookieValue(string language) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language));

    private static string? Cookie(HttpContext context) =>
        context.Request.Cookies[CookieRequestCultureProvider.DefaultCookieName] is { } value
            ? CookieRequestCultureProvider.ParseCookieValue(value)?.UICultures.FirstOrDefault().Value
            : null;

    private static bool IsSpecific(string name)
    {
        try
        {
            return !CultureInfo.GetCultureInfo(name, predefinedOnly: true).IsNeutralCulture;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
