using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cierto.Tests.Infrastructure;

/// <summary>Signs in through the real login form (antiforgery token, cookie), as a browser would.</summary>
public static partial class BrowserlessSignIn
{
    public static async Task<HttpClient> SignInAsync(this CiertoAppFactory app, string email, string password = AppFixture.Password)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>GETs the page for its antiforgery token, then posts the form to it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string handler, IDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var values = new Dictionary<string, string>(fields)
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value,
        };
        return await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(values));
    }

    /// <summary>
    /// The same form post for a client that does not keep cookies: carries the antiforgery cookie
    /// itself and returns the cookies the server set.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, IReadOnlyList<string> SetCookies)> PostFormWithCookiesAsync(this HttpClient client, string path, string handler, IDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var page = await client.GetAsync(new Uri(path, UriKind.Relative));
        var form = await page.Content.ReadAsStringAsync();
        var cookies = page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]).ToList() : [];
        var values = new Dictionary<string, string>(fields)
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(values) };
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        var response = await client.SendAsync(request);
        var issued = response.Headers.TryGetValues("Set-Cookie", out var after) ? after.Select(c => c.Split(';')[0]).ToList() : [];
        return (response, issued);
    }

    /// <summary>The first antiforgery token a rendered page holds.</summary>
    public static string AntiforgeryTokenOf(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
