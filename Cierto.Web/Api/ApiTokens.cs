using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Api;

/// <summary>
/// Issues the mobile app's tokens: a short-lived access token (ASP.NET Core's bearer token format,
/// read by its handler) that names its session, and the session's current refresh token, which
/// is kept server-side (see <see cref="ApiSessionService"/>).
/// </summary>
public sealed class ApiTokens(SignInManager<CiertoUser> signIn, IOptionsMonitor<BearerTokenOptions> options, TimeProvider time)
{
    public const string SessionClaim = "cierto:session";

    public static Guid? SessionOf(ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(SessionClaim), out var id) ? id : null;

    public async Task<AccessTokenResponse> IssueAsync(CiertoUser user, IssuedRefreshToken refresh)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaim, refresh.SessionId.ToString()));
        var bearer = options.Get(IdentityConstants.BearerScheme);
        var now = time.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + bearer.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(principal, properties, $"{IdentityConstants.BearerScheme}:AccessToken");
        return new AccessTokenResponse
        {
            AccessToken = bearer.BearerTokenProtector.Protect(ticket),
            ExpiresIn = (long)bearer.BearerTokenExpiration.TotalSeconds,
            RefreshToken = refresh.Token,
        };
    }
}
