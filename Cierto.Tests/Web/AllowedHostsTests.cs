using System.Net;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>Outside Development only the public address's host (and loopback, for health checks on the machine) is served.</summary>
public sealed class AllowedHostsTests(AllowedHostsTests.PublicAddressFixture app) : IClassFixture<AllowedHostsTests.PublicAddressFixture>
{
    public sealed class PublicAddressFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:PublicBaseUrl"] = "https://cierto.example.com",
        };
    }

    [Theory]
    [InlineData("cierto.example.com", HttpStatusCode.OK)]
    [InlineData("CIERTO.Example.com:8443", HttpStatusCode.OK)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:5301", HttpStatusCode.OK)]
    [InlineData("[::1]:5301", HttpStatusCode.OK)]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("cierto.example.com.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("10.0.0.5:8080", HttpStatusCode.BadRequest)]
    public async Task Only_the_public_host_and_loopback_are_served(string host, HttpStatusCode expected)
    {
        var client = app.App.CreateClient();

        var response = await client.GetAsync(new Uri($"http://{host}/health/live"));

        Assert.Equal(expected, response.StatusCode);
    }
}
