using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>What "Signed-in devices" lists: sessions that still stand, not every browser that was ever closed.</summary>
public sealed class SignInSessionListTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_browser_not_seen_for_longer_than_the_cookie_lives_is_no_longer_listed()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Worker, (await app.CreateCompanyAsync()).CompanyId);
        var current = await app.RunAsync<SignInSessionService, SignInSession>(s => s.StartAsync(user.Id, "Mozilla/5.0 (Linux; Android 14) Chrome/130.0", "10.0.0.1"));
        var closed = await app.RunAsync<SignInSessionService, SignInSession>(s => s.StartAsync(user.Id, "Mozilla/5.0 (Linux; Android 14) Chrome/130.0", "10.0.0.2"));
        await using (var db = app.Db())
        {
            var longAgo = DateTimeOffset.UtcNow - SignInSessionService.IdleLifetime - TimeSpan.FromMinutes(1);
            await db.SignInSessions.Where(s => s.Id == closed.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, longAgo));
        }

        var listed = await app.RunAsync<SignInSessionService, IReadOnlyList<SignInSessionRow>>(s => s.ListAsync(user.Id));

        Assert.Equal([current.Id], listed.Select(r => r.Id));
    }
}
