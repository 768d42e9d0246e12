using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Api;

/// <summary>What every API test does: sign in for a bearer token, read JSON, check a problem answer.</summary>
public static class ApiCalls
{
    /// <summary>A client of the app carrying the user's access token, got from the login route.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this AppFixture app, string email, string password = AppFixture.Password)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.App.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await JsonAsync(login)).GetProperty("accessToken").GetString());
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>An RFC 9457 problem with this status and <c>code</c>.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
    }
}
