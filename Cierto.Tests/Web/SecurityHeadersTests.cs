using System.Net;
using System.Text.RegularExpressions;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>
/// The app sends the whole set of security headers itself, on every kind of answer (pages, static
/// files, API, errors, health), so every deployment has them whatever sits in front of it
/// (ASVS 4.0.3 14.4.3–14.4.7).
/// </summary>
public sealed partial class SecurityHeadersTests(SecurityHeadersTests.HeadersFixture app) : IClassFixture<SecurityHeadersTests.HeadersFixture>
{
    public sealed class HeadersFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:Security:Headers:ConnectSources:0"] = "https://telemetry.example.com",
        };
    }

    /// <summary>The policy with the request's nonce written as NONCE.</summary>
    public const string ExpectedPolicy =
        "default-src 'self'; script-src 'self' 'nonce-NONCE'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self' https://telemetry.example.com; media-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'none'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ExpectedPermissions =
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()";

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/Account/Login", HttpStatusCode.OK)]
    [InlineData("/app.css", HttpStatusCode.OK)]
    [InlineData("/js/scanner.js", HttpStatusCode.OK)]
    [InlineData("/offline.html", HttpStatusCode.OK)]
    [InlineData("/api/v1/billing/plans", HttpStatusCode.OK)]
    [InlineData("/api/v1/equipment", HttpStatusCode.Unauthorized)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/calendar/no-such-secret.ics", HttpStatusCode.NotFound)]
    public async Task Every_answer_carries_the_whole_set_of_security_headers(string path, HttpStatusCode status)
    {
        var client = app.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(ExpectedPolicy, Nonce().Replace(policy, "'nonce-NONCE'"));
        Assert.Equal(ExpectedPermissions, Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Cross-Origin-Opener-Policy")));
    }

    [Fact]
    public async Task A_page_names_its_import_map_with_the_nonce_of_its_own_policy_and_each_answer_gets_a_new_one()
    {
        var client = app.App.CreateClient();

        var first = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));
        var second = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));

        var nonce = Nonce().Match(Assert.Single(first.Headers.GetValues("Content-Security-Policy"))).Groups["nonce"].Value;
        Assert.Matches("^[A-Za-z0-9_-]{22}$", nonce); // 128 random bits, base64url
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(nonce, Nonce().Match(Assert.Single(second.Headers.GetValues("Content-Security-Policy"))).Groups["nonce"].Value);

        // No page carries an inline script the policy would refuse: every other script has a src.
        var html = await first.Content.ReadAsStringAsync();
        Assert.All(ScriptTags().Matches(html), m => Assert.True(m.Value.Contains(" src=", StringComparison.Ordinal) || m.Value.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal), m.Value));
    }

    [Fact]
    public async Task Api_answers_are_attachments_and_text_answers_name_their_character_set()
    {
        var client = app.App.CreateClient();

        var plans = await client.GetAsync(new Uri("/api/v1/billing/plans", UriKind.Relative));
        Assert.Equal("attachment; filename=\"api.json\"", plans.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("application/json; charset=utf-8", plans.Content.Headers.ContentType?.ToString());

        var css = await client.GetAsync(new Uri("/app.css", UriKind.Relative));
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType?.ToString());
        var script = await client.GetAsync(new Uri("/js/pwa.js", UriKind.Relative));
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType?.ToString());
    }

    [GeneratedRegex("'nonce-(?<nonce>[^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTags();
}
