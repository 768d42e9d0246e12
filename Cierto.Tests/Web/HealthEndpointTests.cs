using System.Net;
using System.Text.Json;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

public sealed class HealthEndpointTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Live_answers_without_checking_dependencies()
    {
        await using var app = new CiertoAppFactory(database);
        var response = await app.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task Ready_checks_the_database_and_redis()
    {
        await using var app = new CiertoAppFactory(database);
        var response = await app.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_reports_unhealthy_when_redis_is_unreachable_while_live_stays_up()
    {
        await using var app = new CiertoAppFactory(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=300,syncTimeout=300,asyncTimeout=300",
        });
        var client = app.CreateClient();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_landing_page_says_what_Cierto_is()
    {
        await using var app = new CiertoAppFactory(database);
        var html = await app.CreateClient().GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("who is using which equipment", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("activation code", html, StringComparison.OrdinalIgnoreCase);
    }
}
