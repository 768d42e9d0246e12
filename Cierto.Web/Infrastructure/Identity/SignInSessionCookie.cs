using System.Security.Claims;
using Cierto.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>
/// The sign-in cookie is good only while its server-side session stands (ASVS 3.3.1): checked at
/// every request before Identity's security-stamp check, so a cookie of a session that was signed
/// out, or ended by any "sign out everywhere" path, is refused at once on every instance. A cookie
/// without a session (made before sessions existed) is refused too: its owner signs in once more.
/// </summary>
internal static class SignInSessionCookie
{
    public static void Configure(CookieAuthenticationOptions options)
    {
        var stamp = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = async context =>
        {
            var watch = context.HttpContext.RequestServices.GetRequiredService<SignInSessionWatch>();
            if (context.Principal?.SignInSessionOf() is not { } session
                || !await watch.IsActiveAsync(session, context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            await stamp(context);
        };
    }

    /// <summary>The security-stamp check rebuilds the principal each minute: the session goes over to the new one.</summary>
    public static Task KeepSession(SecurityStampRefreshingPrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CurrentPrincipal?.FindFirst(CiertoClaims.SignInSession) is { } claim
            && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && !identity.HasClaim(c => c.Type == CiertoClaims.SignInSession))
        {
            identity.AddClaim(new Claim(CiertoClaims.SignInSession, claim.Value));
        }

        return Task.CompletedTask;
    }
}
