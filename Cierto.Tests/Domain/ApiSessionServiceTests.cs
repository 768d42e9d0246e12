using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Cierto.Tests.Domain;

/// <summary>
/// The mobile app's refresh tokens on PostgreSQL with a clock the test moves: when a token stops
/// working, what ending a session records, and the order devices are listed in.
/// </summary>
public sealed class ApiSessionServiceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    private async Task<T> WithServiceAsync<T>(Func<ApiSessionService, Task<T>> action)
    {
        await using var db = app.Db();
        return await action(new ApiSessionService(db, time));
    }

    private async Task<(CiertoUser User, IssuedRefreshToken Token)> StartAsync(string device = "Ann's phone")
    {
        var (user, _) = await app.CreateUserAsync(Roles.Worker, (await app.CreateCompanyAsync()).CompanyId);
        return (user, await WithServiceAsync(s => s.StartAsync(user, device, "10.0.0.7")));
    }

    private async Task<(DateTimeOffset? RevokedAt, string? Reason)> RevocationAsync(Guid sessionId)
    {
        await using var db = app.Db();
        var session = await db.ApiSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
        return (session.RevokedAt, session.RevokedReason);
    }

    [Fact]
    public async Task Starting_a_session_is_audited_with_the_device_name()
    {
        var (user, token) = await StartAsync("Site tablet");

        await using var db = app.Db();
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.TargetId == token.SessionId.ToString());
        Assert.Equal(("api.session-started", user.Id, user.CompanyId, "ApiSession", "Site tablet"), (audit.Action, audit.ActorId!.Value, audit.CompanyId, audit.TargetType, audit.Details));
    }

    [Fact]
    public async Task A_token_works_until_the_moment_it_expires_and_then_ends_its_session()
    {
        var (_, token) = await StartAsync();
        time.Advance(ApiSessionService.RefreshTokenLifetime - TimeSpan.FromTicks(10));
        var next = await WithServiceAsync(s => s.RotateAsync(token.Token, "10.0.0.8"));
        Assert.NotNull(next);

        time.Advance(ApiSessionService.RefreshTokenLifetime + TimeSpan.FromMinutes(1));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(next.Token, "10.0.0.8")));
        Assert.Equal((time.GetUtcNow(), "expired"), await RevocationAsync(token.SessionId));
    }

    [Fact]
    public async Task A_token_is_dead_at_its_expiry_instant()
    {
        var (_, token) = await StartAsync();
        time.Advance(ApiSessionService.RefreshTokenLifetime);

        Assert.Null(await WithServiceAsync(s => s.RotateAsync(token.Token, null)));
        Assert.Equal((time.GetUtcNow(), "expired"), await RevocationAsync(token.SessionId));
    }

    [Fact]
    public async Task A_new_password_or_a_disabled_account_ends_the_session_at_its_next_refresh()
    {
        var (stamped, stampedToken) = await StartAsync();
        var (disabled, disabledToken) = await StartAsync();
        await using (var db = app.Db())
        {
            await db.Users.Where(u => u.Id == stamped.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, AccountRules.NewSecurityStamp()));
            await db.Users.Where(u => u.Id == disabled.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Disabled));
        }

        Assert.Null(await WithServiceAsync(s => s.RotateAsync(stampedToken.Token, null)));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(disabledToken.Token, null)));
        Assert.Equal("expired", (await RevocationAsync(stampedToken.SessionId)).Reason);
        Assert.Equal("expired", (await RevocationAsync(disabledToken.SessionId)).Reason);
    }

    [Fact]
    public async Task Refreshing_moves_the_sessions_last_use_and_address_and_a_reused_token_revokes_it_as_reused()
    {
        var (_, token) = await StartAsync();
        time.Advance(TimeSpan.FromHours(2));

        var next = await WithServiceAsync(s => s.RotateAsync(token.Token, "10.0.0.99"));
        await using (var db = app.Db())
        {
            var session = await db.ApiSessions.AsNoTracking().SingleAsync(s => s.Id == token.SessionId);
            Assert.Equal((time.GetUtcNow(), "10.0.0.99"), (session.LastUsedAt, session.LastClientAddress));
        }

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(token.Token, "203.0.113.5")));
        Assert.Equal((time.GetUtcNow(), "reused"), await RevocationAsync(token.SessionId));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(next!.Token, null)));
    }

    [Fact]
    public async Task Overlong_or_empty_tokens_are_refused_without_a_lookup()
    {
        var (_, token) = await StartAsync();

        Assert.Null(await WithServiceAsync(s => s.RotateAsync(token.Token + new string('A', 201 - token.Token.Length), null)));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(string.Empty, null)));
        Assert.Null(await WithServiceAsync(s => s.RotateAsync(null, null)));
        Assert.Equal((null, null), await RevocationAsync(token.SessionId));
        Assert.NotNull(await WithServiceAsync(s => s.RotateAsync(token.Token, null)));
    }

    [Fact]
    public async Task Devices_are_listed_most_recently_used_first_and_signing_one_out_touches_only_that_one()
    {
        var (user, older) = await StartAsync("Old phone");
        time.Advance(TimeSpan.FromMinutes(5));
        var newer = await WithServiceAsync(s => s.StartAsync(user, "New phone", null));
        time.Advance(TimeSpan.FromMinutes(5));
        var (other, otherToken) = await StartAsync("Someone else's");

        Assert.Equal(["New phone", "Old phone"], (await WithServiceAsync(s => s.ListAsync(user.Id))).Select(r => r.DeviceName));
        await WithServiceAsync(async s => { await s.RotateAsync(older.Token, null); return 0; });
        Assert.Equal(["Old phone", "New phone"], (await WithServiceAsync(s => s.ListAsync(user.Id))).Select(r => r.DeviceName));

        Assert.Equal("Session was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => WithServiceAsync(async s => { await s.RevokeAsync(other.Id, newer.SessionId); return 0; }))).Message);
        await WithServiceAsync(async s => { await s.RevokeAsync(user.Id, newer.SessionId); return 0; });
        Assert.Equal("signed-out", (await RevocationAsync(newer.SessionId)).Reason);
        Assert.Equal(["Old phone"], (await WithServiceAsync(s => s.ListAsync(user.Id))).Select(r => r.DeviceName));

        Assert.Equal(1, await WithServiceAsync(s => s.RevokeAllAsync(user.Id, "password-changed")));
        Assert.Equal("password-changed", (await RevocationAsync(older.SessionId)).Reason);
        Assert.Equal((null, null), await RevocationAsync(otherToken.SessionId));
    }
}
