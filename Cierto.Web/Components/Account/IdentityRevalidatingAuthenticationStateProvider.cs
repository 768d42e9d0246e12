using System.Security.Claims;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Components.Account;

/// <summary>
/// Re-checks the signed-in user of every open circuit each minute
/// (<c>Cierto:Security:PageRevalidationSeconds</c>): a disabled user, or one whose security stamp
/// changed (password reset, disabled by an admin), is signed out and the page goes to sign-in.
/// A check that cannot reach the database signs nobody out.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public const string IntervalKey = "Cierto:Security:PageRevalidationSeconds";

    protected override TimeSpan RevalidationInterval { get; } =
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(IntervalKey, 60), 1, 3600));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
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
}
