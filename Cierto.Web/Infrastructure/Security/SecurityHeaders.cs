using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cierto.Web.Infrastructure.Security;

/// <summary>
/// The security headers of every answer, sent by the app itself so that every deployment has them
/// whatever is in front of it (ASVS 4.0.3 14.4.1, 14.4.3–14.4.7). Set when the answer starts, so
/// error pages, static files, the API and whatever another component wrote before (antiforgery's
/// <c>frame-ancestors 'self'</c>) all end with the same set.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Camera for this origin alone (the label scanner); every other powerful feature off.
    /// Only features Chromium knows, so no page logs a warning about the header itself.
    /// </summary>
    public const string PermissionsPolicy =
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()";

    private const string NonceKey = "Cierto.CspNonce";

    /// <summary>The nonce of this answer's policy, for the one inline script Blazor writes (its import map).</summary>
    public static string Nonce(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceKey] is not string nonce)
        {
            // base64url: a nonce's grammar allows it, and HTML attributes carry it unescaped.
            nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    /// <summary>
    /// Scripts only from this origin (and the import map with its nonce: no inline script, no eval);
    /// styles from this origin plus inline ones, which MudBlazor's theme and components write as
    /// style elements and attributes; images from here and data: URIs (MudBlazor's stylesheet);
    /// connections to this origin (the circuit's WebSocket included) and the operator's extras;
    /// workers (the service worker) and the manifest from here; no plug-ins, no frames either way.
    /// </summary>
    public static string ContentPolicy(string nonce, IEnumerable<string> extraConnectSources) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + $"connect-src {string.Join(' ', ["'self'", .. extraConnectSources])}; media-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'none'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SecurityHeadersOptions();
        var section = configuration.GetSection(SecurityHeadersOptions.Section);
        section.Bind(options);
        if (options.Problem() is { } problem)
        {
            throw new StartupConfigurationException($"{SecurityHeadersOptions.Section}:{nameof(SecurityHeadersOptions.ConnectSources)}", problem);
        }

        services.AddOptions<SecurityHeadersOptions>().Bind(section).Validate(o => o.Problem() is null).ValidateOnStart();
        return services;
    }

    /// <summary>First in the pipeline: every answer, whoever writes it, carries the set.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var connect = app.ApplicationServices.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value.ConnectSources.ToArray();
        return app.Use((context, next) =>
        {
            var nonce = Nonce(context);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentPolicy(nonce, connect);
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                NameTheCharacterSet(context.Response);
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !headers.ContainsKey(HeaderNames.ContentDisposition)
                    && context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    // ASVS 14.4.2: an API answer opened in a browser is a download, never a page.
                    headers.ContentDisposition = "attachment; filename=\"api.json\"";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>ASVS 14.4.1: a text answer names its character set (every file Cierto serves is UTF-8).</summary>
    private static void NameTheCharacterSet(HttpResponse response)
    {
        if (response.ContentType is { } type
            && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                || type.StartsWith("application/manifest+json", StringComparison.OrdinalIgnoreCase) || type.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase))
            && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = type + "; charset=utf-8";
        }
    }
}
