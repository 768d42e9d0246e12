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
        Assert.Equal("Healthy", checks.GetProperty("outbox").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_reports_degraded_when_the_oldest_undelivered_message_has_waited_too_long()
    {
        await using var app = new CiertoAppFactory(database, new Dictionary<string, string?> { ["Cierto:Outbox:PollMilliseconds"] = "3600000" });
        await using (var db = database.CreateContext())
        {
            db.OutboxMessages.Add(new Cierto.Domain.Outbox.OutboxMessage("test.stuck", "{}", DateTimeOffset.UtcNow.AddMinutes(-11)));
            await db.SaveChangesAsync();
        }

        try
        {
            var ready = await app.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // degraded is still ready: pages and the API work
            var outbox = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("outbox");
            Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
            Assert.StartsWith("1 pending (oldest 66", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await database.ResetAsync();
        }
    }

    [Fact]
    public async Task Ready_reports_degraded_but_stays_ready_when_redis_is_unreachable()
    {
        await using var app = new CiertoAppFactory(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=300,syncTimeout=300,asyncTimeout=300",
        });
        var client = app.CreateClient();

        // Without Redis the instance still serves everything (live updates reach its own pages):
        // a load balancer must keep sending it traffic.
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal("Degraded", checks.GetProperty("redis").GetProperty("status").GetString());
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
