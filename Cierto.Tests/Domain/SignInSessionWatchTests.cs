using Cierto.Domain.Accounts;
using Cierto.Domain.Live;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cierto.Tests.Domain;

/// <summary>
/// The answer "this browser session still stands" on PostgreSQL with a clock the test moves: kept
/// for the check interval, forgotten at once by a revocation on the bus, last-seen written at most
/// every few minutes; and the devices' names.
/// </summary>
public sealed class SignInSessionWatchTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InProcessEventBus bus = new();

    private SignInSessionWatch Watch() => new(bus, app.App.Services.GetRequiredService<IServiceScopeFactory>(), time, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        [SignInSessionWatch.CheckSecondsKey] = "30",
        [SignInSessionWatch.LastSeenMinutesKey] = "5",
    }).Build());

    private async Task<T> WithServiceAsync<T>(Func<SignInSessionService, Task<T>> action)
    {
        await using var db = app.Db();
        return await action(new SignInSessionService(db, new ApiSessionService(db, time), bus, time));
    }

    private async Task<(Guid UserId, SignInSession Session)> StartAsync()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Worker, (await app.CreateCompanyAsync()).CompanyId);
        return (user.Id, await WithServiceAsync(s => s.StartAsync(user.Id, "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36", "10.0.0.7")));
    }

    private async Task<SignInSession> ReadAsync(Guid id)
    {
        await using var db = app.Db();
        return await db.SignInSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    [Fact]
    public async Task A_revocation_on_the_bus_is_refused_at_once_though_the_answer_was_cached()
    {
        var (userId, session) = await StartAsync();
        using var watch = Watch();
        Assert.True(await watch.IsActiveAsync(session.Id, null));
        var told = 0;
        using var page = watch.Watch(session.Id, () => { Interlocked.Increment(ref told); return Task.CompletedTask; });

        Assert.True(await WithServiceAsync(s => s.RevokeAsync(userId, session.Id, "signed-out")));

        Assert.False(await watch.IsActiveAsync(session.Id, null));
        Assert.Equal(1, told);
        Assert.Equal("signed-out", (await ReadAsync(session.Id)).RevokedReason);
    }

    [Fact]
    public async Task A_revocation_the_bus_missed_is_refused_once_the_check_interval_has_passed()
    {
        var (_, session) = await StartAsync();
        using var watch = Watch();
        Assert.True(await watch.IsActiveAsync(session.Id, null));
        await using (var db = app.Db())
        {
            await db.SignInSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()));
        }

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await watch.IsActiveAsync(session.Id, null));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await watch.IsActiveAsync(session.Id, null));
    }

    [Fact]
    public async Task Last_seen_and_the_address_are_written_at_most_every_five_minutes()
    {
        var (_, session) = await StartAsync();
        using var watch = Watch();
        var started = time.GetUtcNow();

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(await watch.IsActiveAsync(session.Id, "10.0.0.8"));
        Assert.Equal((started, "10.0.0.7"), ((await ReadAsync(session.Id)).LastSeenAt, (await ReadAsync(session.Id)).Address));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await watch.IsActiveAsync(session.Id, "10.0.0.9"));
        var seen = await ReadAsync(session.Id);
        Assert.Equal((time.GetUtcNow(), "10.0.0.9"), (seen.LastSeenAt, seen.Address));
        Assert.Equal("Chrome on Android", seen.Device);
    }

    [Fact]
    public async Task Signing_out_everywhere_else_keeps_this_browser_and_ends_the_others_and_the_app_devices()
    {
        var (userId, kept) = await StartAsync();
        var other = await WithServiceAsync(s => s.StartAsync(userId, null, null));
        await using (var db = app.Db())
        {
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            await new ApiSessionService(db, time).StartAsync(user, "Phone", null);
        }

        await WithServiceAsync(async s => { await s.EndEverywhereAsync(userId, kept.Id, "signed-out-everywhere"); return 0; });

        Assert.Null((await ReadAsync(kept.Id)).RevokedAt);
        Assert.Equal("signed-out-everywhere", (await ReadAsync(other.Id)).RevokedReason);
        Assert.Equal("Unknown browser", other.Device);
        await using var check = app.Db();
        Assert.False(await check.ApiSessions.AnyAsync(s => s.UserId == userId && s.RevokedAt == null));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15", "Safari on macOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox on Linux")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/140.0 Mobile/15E148 Safari/604.1", "Chrome on iPad")]
    [InlineData("curl/8.5.0", "curl/8.5.0")]
    [InlineData("", "Unknown browser")]
    [InlineData("bad\0agent", "Unknown browser")]
    public void A_device_is_named_by_its_browser_and_system(string userAgent, string expected) =>
        Assert.Equal(expected, DeviceNames.Of(userAgent));
}
