using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A browser over HTTP whose cookies the test can see and copy: it keeps them itself (a cookie the
/// server deletes is dropped), follows no redirect, and posts forms with the page's antiforgery token.
/// </summary>
public sealed class CookieBrowser(HttpClient client, string? userAgent = null)
{
    public const string AuthCookie = ".AspNetCore.Identity.Application";

    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    public static CookieBrowser For(CiertoAppFactory app, string? userAgent = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new CookieBrowser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), userAgent);
    }

    /// <summary>The sign-in cookie as a Cookie header, as someone copying it from this browser would have it.</summary>
    public string? CopiedAuthCookie => cookies.TryGetValue(AuthCookie, out var value) ? $"{AuthCookie}={value}" : null;

    /// <summary>This browser's cookies as one Cookie header.</summary>
    public string CookieHeader => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));

    public async Task SignInAsync(string email, string password = AppFixture.Password)
    {
        var response = await PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(CopiedAuthCookie);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<string> GetStringAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>GETs <paramref name="formPage"/> for its antiforgery token, then posts the fields to <paramref name="action"/> (the page itself by default).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string? handler, IDictionary<string, string> fields, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var page = await GetStringAsync(formPage);
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = BrowserlessSignIn.AntiforgeryTokenOf(page) };
        if (handler is not null)
        {
            values["_handler"] = handler;
        }

        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, action ?? formPage) { Content = new FormUrlEncodedContent(values) });
    }

    /// <summary>The sign-out button of the app bar, on the page given.</summary>
    public Task<HttpResponseMessage> SignOutAsync(string fromPage) =>
        PostFormAsync(fromPage, null, new Dictionary<string, string> { ["ReturnUrl"] = string.Empty }, "/Account/Logout");

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            if (cookies.Count > 0)
            {
                request.Headers.Add("Cookie", CookieHeader);
            }

            if (userAgent is not null)
            {
                request.Headers.UserAgent.ParseAdd(userAgent);
            }

            var response = await client.SendAsync(request);
            foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var parts = set.Split(';', StringSplitOptions.TrimEntries);
                var (name, value) = (parts[0][..parts[0].IndexOf('=', StringComparison.Ordinal)], parts[0][(parts[0].IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var deleted = value.Length == 0 || parts.Any(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                    && DateTimeOffset.TryParse(p["expires=".Length..], System.Globalization.CultureInfo.InvariantCulture, out var expires) && expires < DateTimeOffset.UtcNow);
                if (deleted)
                {
                    cookies.Remove(name);
                }
                else
                {
                    cookies[name] = value;
                }
            }

            return response;
        }
    }

    /// <summary>A request with nothing but the given Cookie header: a stolen or copied cookie used elsewhere.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(CiertoAppFactory app, string path, string cookie)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
