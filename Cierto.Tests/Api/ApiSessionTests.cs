using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using static Cierto.Tests.Api.ApiCalls;

namespace Cierto.Tests.Api;

/// <summary>Refresh tokens kept server-side: hashed, rotated on every use, a reused one ends its family, sessions listed and revoked.</summary>
public sealed class ApiSessionTests(ApiSessionTests.ManyRefreshesFixture app) : IClassFixture<ApiSessionTests.ManyRefreshesFixture>
{
    public sealed class ManyRefreshesFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:Limits:Refresh:PerAccount"] = "1000",
            ["Cierto:Limits:SignIn:PerAccount"] = "1000",
        };
    }

    private sealed record Tokens(string Access, string Refresh);

    private async Task<(CiertoUser User, Tokens Tokens)> SignInAsync(string device = "Test phone")
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (user, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        return (user, await LoginAsync(user.Email!, device));
    }

    private async Task<Tokens> LoginAsync(string email, string device)
    {
        var body = await JsonAsync(await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = AppFixture.Password, deviceName = device }));
        return new Tokens(body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        await app.App.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    private HttpClient Bearer(string access)
    {
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return client;
    }

    /// <summary>An access token is re-checked at most every few seconds; wait (with a deadline) until it is refused.</summary>
    private async Task AssertAccessEndsAsync(string access)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        do
        {
            status = (await Bearer(access).GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                return;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_is_stored_only_as_a_hash()
    {
        var (_, first) = await SignInAsync();

        var refreshed = await RefreshAsync(first.Refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await JsonAsync(refreshed)).GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(first.Refresh, second);
        Assert.Equal(HttpStatusCode.OK, (await Bearer((await JsonAsync(refreshed)).GetProperty("accessToken").GetString()!).GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        await using var db = app.Db();
        var stored = await db.RefreshTokens.Select(t => t.TokenHash).ToListAsync();
        Assert.DoesNotContain(first.Refresh, stored);
        Assert.DoesNotContain(second, stored);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(second)).StatusCode);
    }

    [Fact]
    public async Task A_reused_refresh_token_revokes_its_whole_family()
    {
        var (_, first) = await SignInAsync();
        var next = await JsonAsync(await RefreshAsync(first.Refresh));
        var stolenLater = next.GetProperty("refreshToken").GetString()!;
        var currentAccess = next.GetProperty("accessToken").GetString()!;

        await AssertProblemAsync(await RefreshAsync(first.Refresh), HttpStatusCode.Unauthorized, "invalid_credentials");

        // The owner's newer token and access token stop working as well: the thief's copy is worthless.
        await AssertProblemAsync(await RefreshAsync(stolenLater), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertAccessEndsAsync(currentAccess);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "api.refresh-token-reused"));
    }

    [Fact]
    public async Task Of_concurrent_refreshes_with_one_token_exactly_one_wins_and_the_reuse_ends_the_session()
    {
        const int Rounds = 20;
        const int Racers = 4;
        for (var round = 1; round <= Rounds; round++)
        {
            var (_, tokens) = await SignInAsync($"Racing phone {round}");
            var clients = Enumerable.Range(0, Racers).Select(_ => app.App.CreateClient()).ToList();
            using var barrier = new Barrier(Racers);
            var answers = await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                barrier.SignalAndWait();
                return await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.Refresh });
            })));

            var winners = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToList();
            Assert.True(winners.Count == 1, $"round {round}: {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
            foreach (var loser in answers.Except(winners))
            {
                await AssertProblemAsync(loser, HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            // README: a reused refresh token revokes its whole session, the winner's new tokens included.
            var won = await JsonAsync(winners[0]);
            await AssertProblemAsync(await RefreshAsync(won.GetProperty("refreshToken").GetString()!), HttpStatusCode.Unauthorized, "invalid_credentials");
            await using var db = app.Db();
            var session = await db.ApiSessions.SingleAsync(s => s.DeviceName == $"Racing phone {round}");
            Assert.Equal("reused", session.RevokedReason);
            var target = session.Id.ToString();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "api.refresh-token-reused" && a.TargetId == target), $"round {round}: no audit entry");
            if (round == Rounds)
            {
                await AssertAccessEndsAsync(won.GetProperty("accessToken").GetString()!);
            }
        }
    }

    [Fact]
    public async Task A_user_lists_their_devices_and_signs_one_out()
    {
        var (user, phone) = await SignInAsync("Field phone");
        var tablet = await LoginAsync(user.Email!, "Yard tablet");

        var listed = await JsonAsync(await Bearer(phone.Access).GetAsync(new Uri("/api/v1/auth/sessions", UriKind.Relative)));
        var devices = listed.EnumerateArray().ToDictionary(d => d.GetProperty("deviceName").GetString()!, d => (Id: d.GetProperty("id").GetGuid(), Current: d.GetProperty("current").GetBoolean()));
        Assert.Equal(["Field phone", "Yard tablet"], devices.Keys.Order());
        Assert.True(devices["Field phone"].Current);

        Assert.Equal(HttpStatusCode.NoContent, (await Bearer(phone.Access).DeleteAsync(new Uri($"/api/v1/auth/sessions/{devices["Yard tablet"].Id}", UriKind.Relative))).StatusCode);

        await AssertProblemAsync(await RefreshAsync(tablet.Refresh), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertAccessEndsAsync(tablet.Access);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(phone.Refresh)).StatusCode);

        // Someone else's session answers like a missing one.
        var (_, stranger) = await SignInAsync();
        var strangerSession = (await JsonAsync(await Bearer(stranger.Access).GetAsync(new Uri("/api/v1/auth/sessions", UriKind.Relative)))).EnumerateArray().Single().GetProperty("id").GetGuid();
        await AssertProblemAsync(await Bearer(tablet.Access).DeleteAsync(new Uri($"/api/v1/auth/sessions/{strangerSession}", UriKind.Relative)), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertProblemAsync(await Bearer((await LoginAsync(user.Email!, "Third")).Access).DeleteAsync(new Uri($"/api/v1/auth/sessions/{strangerSession}", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Changing_the_password_on_the_web_signs_every_device_out()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var device = await LoginAsync(admin.Email!, "Admin phone");
        var browser = await app.App.SignInAsync(admin.Email!);

        var listed = await browser.GetStringAsync(new Uri("/Account/Manage/Devices", UriKind.Relative));
        Assert.Contains("Admin phone", listed, StringComparison.Ordinal);

        var changed = await browser.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = AppFixture.Password,
            ["Input.NewPassword"] = "An0ther-password!",
            ["Input.ConfirmPassword"] = "An0ther-password!",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        await AssertProblemAsync(await RefreshAsync(device.Refresh), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertAccessEndsAsync(device.Access);
        var page = await app.App.SignInAsync(admin.Email!, "An0ther-password!");
        Assert.Contains("No device is signed in", await page.GetStringAsync(new Uri("/Account/Manage/Devices", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_is_signed_out_from_the_account_page()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (admin, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var device = await LoginAsync(admin.Email!, "Lost phone");
        var browser = await app.App.SignInAsync(admin.Email!);
        await using var db = app.Db();
        var session = await db.ApiSessions.Where(s => s.UserId == admin.Id).Select(s => s.Id).SingleAsync();

        var revoked = await browser.PostFormAsync("/Account/Manage/Devices", "revoke-device", new Dictionary<string, string> { ["SessionId"] = session.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        await AssertProblemAsync(await RefreshAsync(device.Refresh), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.DoesNotContain("Lost phone", await browser.GetStringAsync(new Uri("/Account/Manage/Devices", UriKind.Relative)), StringComparison.Ordinal);
    }
}
