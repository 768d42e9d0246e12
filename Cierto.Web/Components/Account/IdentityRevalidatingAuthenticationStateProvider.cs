using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Components.Account;

/// <summary>
/// Signs an open page (circuit) out, and so sends it to sign-in, when its browser session ends:
/// at once when any instance revokes the session (sign-out in another tab, "sign out everywhere",
/// password change or reset, disabling, suspension; an event on the bus), and at the re-check of
/// every open circuit each minute (<c>Cierto:Security:PageRevalidationSeconds</c>), which also
/// catches a disabled user or a changed security stamp. A check that cannot reach the database
/// signs nobody out.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider
    : RevalidatingServerAuthenticationStateProvider
{
    public const string IntervalKey = "Cierto:Security:PageRevalidationSeconds";

    private readonly IServiceScopeFactory scopeFactory;
    private readonly IOptions<IdentityOptions> options;
    private readonly SignInSessionWatch sessions;
    private IDisposable? watching;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IConfiguration configuration,
        SignInSessionWatch sessions)
        : base(loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.scopeFactory = scopeFactory;
        this.options = options;
        this.sessions = sessions;
        RevalidationInterval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(IntervalKey, 60), 1, 3600));
        AuthenticationStateChanged += WatchSession;
    }

    protected override TimeSpan RevalidationInterval { get; }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        if (authenticationState.User.SignInSessionOf() is not { } session || !await sessions.IsActiveAsync(session, null, cancellationToken))
        {
            return false;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        try
        {
            return await ValidateSecurityStampAsync(userManager, authenticationState.User);
        }
        catch (Exception ex) when (scope.ServiceProvider.GetRequiredService<DatabaseOutages>().ReportIfTransient(ex, "page", "revalidation"))
        {
            // The database is away: nothing says the user changed, so the page stays signed in and
            // the next check decides. (Anything the page commits re-reads the account anyway.)
            return true;
        }
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<CiertoUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || user.Status != UserStatus.Active)
        {
            return false;
        }

        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthenticationStateChanged -= WatchSession;
            Interlocked.Exchange(ref watching, null)?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Each new state of the page: watch its session (on this instance, told by the bus of every revocation).</summary>
    private void WatchSession(Task<AuthenticationState> state) => _ = WatchSessionAsync(state);

    private async Task WatchSessionAsync(Task<AuthenticationState> state)
    {
        var user = (await state).User;
        var watch = user.SignInSessionOf() is { } session ? sessions.Watch(session, () => RecheckAsync(state, session)) : null;
        Interlocked.Exchange(ref watching, watch)?.Dispose();
    }

    private async Task RecheckAsync(Task<AuthenticationState> watched, Guid session)
    {
        if (!await sessions.IsActiveAsync(session, null) && ReferenceEquals(watched, GetAuthenticationStateAsync()))
        {
            SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
    }
}
