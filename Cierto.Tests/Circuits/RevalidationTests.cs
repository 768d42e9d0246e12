using System.Threading.Channels;
using Cierto.Circuits;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Web.Components.Account;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Circuits;

/// <summary>The app re-checks the users (and sessions) of open pages every second instead of every minute.</summary>
public sealed class RevalidatingCircuitHost : CircuitHostBase
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        [IdentityRevalidatingAuthenticationStateProvider.IntervalKey] = "1",
        [Cierto.Domain.Accounts.SignInSessionWatch.CheckSecondsKey] = "1",
    };
}

/// <summary>An open page of a user who is disabled meanwhile goes to the sign-in page by itself.</summary>
public sealed class RevalidationTests(RevalidatingCircuitHost host) : IClassFixture<RevalidatingCircuitHost>
{
    [Fact]
    public async Task A_worker_disabled_while_their_page_is_open_is_sent_to_sign_in_by_the_page()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (workerUser, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var navigations = Channel.CreateUnbounded<string>();
        await using var page = await OpenMyEquipmentAsync(workerUser.Email!, navigations.Writer);

        // Still active: checks pass and the page stays where it is.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2.5)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => navigations.Reader.ReadAsync(quiet.Token).AsTask());
        }

        await host.RunAsync<WorkerService>(s => s.DisableAsync(admin, workerUser.Id));

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var target = await navigations.Reader.ReadAsync(wait.Token);
        Assert.Contains("Account/Login?returnUrl=my-equipment", target, StringComparison.Ordinal);
    }

    /// <summary>A revocation the event bus never carried (Redis away): the periodic re-check of the page still finds it.</summary>
    [Fact]
    public async Task A_page_whose_session_was_revoked_without_an_event_is_sent_to_sign_in_by_the_periodic_check()
    {
        var (companyId, _, _) = await host.CreateCompanyAsync();
        var (workerUser, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var navigations = Channel.CreateUnbounded<string>();
        await using var page = await OpenMyEquipmentAsync(workerUser.Email!, navigations.Writer);

        await using (var db = host.Db())
        {
            Assert.Equal(1, await db.SignInSessions.Where(s => s.UserId == workerUser.Id && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow)));
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var target = await navigations.Reader.ReadAsync(wait.Token);
        Assert.Contains("Account/Login?returnUrl=my-equipment", target, StringComparison.Ordinal);
    }

    /// <summary>A worker's "My equipment" page with its circuit open; every navigation it asks the browser for is written to <paramref name="navigations"/>.</summary>
    private async Task<CircuitClient> OpenMyEquipmentAsync(string email, ChannelWriter<string> navigations)
    {
        var page = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "my-equipment"), await host.SignInCookieAsync(email), new CircuitClientOptions
        {
            AnswerInterop = (identifier, args) =>
            {
                if (identifier.Contains("navigateTo", StringComparison.OrdinalIgnoreCase))
                {
                    navigations.TryWrite(args ?? string.Empty);
                }

                return null;
            },
        });
        Assert.Null(page.Error);
        return page;
    }
}
