using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>
/// The user of an interactive page. Reads take the signed-in principal as it is; anything that
/// commits re-reads the account first, so a page or dialog left open by a user who was disabled,
/// demoted or signed out elsewhere meanwhile cannot act with the rights it had when it opened.
/// </summary>
public sealed class ActingUser(AuthenticationStateProvider authentication, ServiceRunner services)
{
    private static readonly string StampClaimType = new ClaimsIdentityOptions().SecurityStampClaimType;

    public async Task<Actor> CurrentAsync() => (await authentication.GetAuthenticationStateAsync()).User.RequireActor();

    /// <summary>The acting user, confirmed against the database: still active, and nothing about the account changed since sign-in.</summary>
    public async Task<Actor> ReconfirmedAsync()
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        var actor = principal.RequireActor();
        var stamp = principal.FindFirst(StampClaimType)?.Value;
        var current = await services.RunAsync<CiertoDbContext, (string? Stamp, UserStatus Status)>(db =>
            db.Users.Where(u => u.Id == actor.UserId).Select(u => new ValueTuple<string?, UserStatus>(u.SecurityStamp, u.Status)).SingleOrDefaultAsync());
        if (current.Status != UserStatus.Active || current.Stamp != stamp)
        {
            throw new ForbiddenException("Your account has changed since this page was opened (for example, a role was removed or you were signed out elsewhere). Reload the page or sign in again.");
        }

        return actor;
    }
}
