using System.Net;
using System.Text.Json;
using Cierto.Domain.Equipment;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>What makes Cierto installable on a phone, served with the types browsers insist on.</summary>
public sealed class InstallableAppTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_manifest_service_worker_offline_page_and_icons_are_served_with_their_types()
    {
        var client = app.App.CreateClient();

        var manifest = await client.GetAsync(new Uri("/manifest.webmanifest", UriKind.Relative));
        Assert.Equal("application/manifest+json", manifest.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("/activate", json.GetProperty("start_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("standalone", json.GetProperty("display").GetString());
        var icons = json.GetProperty("icons").EnumerateArray().ToList();
        Assert.Contains(icons, i => i.GetProperty("sizes").GetString() == "192x192");
        Assert.Contains(icons, i => i.GetProperty("sizes").GetString() == "512x512" && i.GetProperty("purpose").GetString() == "maskable");
        foreach (var icon in icons)
        {
            var png = await client.GetAsync(new Uri(icon.GetProperty("src").GetString()!, UriKind.Relative));
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            var bytes = await png.Content.ReadAsByteArrayAsync();
            var declared = icon.GetProperty("sizes").GetString();
            var actual = $"{System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16))}x{System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))}"; // the PNG header's width and height
            Assert.Equal(declared, actual);
        }

        var worker = await client.GetAsync(new Uri("/service-worker.js", UriKind.Relative));
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType?.MediaType);
        var script = await worker.Content.ReadAsStringAsync();
        Assert.Contains("request.method !== 'GET'", script, StringComparison.Ordinal); // nothing but GETs is ever intercepted

        var offline = await client.GetAsync(new Uri("/offline.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, offline.StatusCode);
        Assert.Contains("Activation needs a connection.", await offline.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/lib/jsqr/jsQR.js", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/lib/jsqr/LICENSE", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("https://cierto.example/activate?code=abc-2345", "ABC2345")]
    [InlineData("http://127.0.0.1:5080/activate/?code=ABC2345&x=1", "ABC2345")]
    [InlineData("abc 2345", "ABC2345")]
    [InlineData("https://cierto.example/equipment?code=ABC2345", null)]
    [InlineData("https://cierto.example/activate", null)]
    [InlineData("WIFI:S:site;T:WPA;P:secret;;", null)]
    [InlineData("", null)]
    public void A_scanned_label_gives_its_activation_code_and_anything_else_none(string scanned, string? code) =>
        Assert.Equal(code, LabelCodes.Read(scanned));
}
