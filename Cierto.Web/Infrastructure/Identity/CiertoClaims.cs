using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Infrastructure.Identity;

public static class CiertoClaims
{
    public const string CompanyId = "cierto:company";
    public const string DisplayName = "cierto:name";

    /// <summary>The acting user as the domain services take it, or null when signed out.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }

        Guid? companyId = Guid.TryParse(principal.FindFirstValue(CompanyId), out var company) ? company : null;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Actor(userId, companyId, roles);
    }

    public static Actor RequireActor(this ClaimsPrincipal principal) =>
        principal.ToActor() ?? throw new Domain.Common.ForbiddenException("Sign in first.");

    public static string DisplayNameOf(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(DisplayName) ?? principal.Identity?.Name ?? string.Empty;
}

/// <summary>Puts the company and display name into the cookie, next to Identity's id, name and roles.</summary>
internal sealed class CiertoClaimsPrincipalFactory(UserManager<CiertoUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<CiertoUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CiertoUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CiertoClaims.DisplayName, user.DisplayName));
        if (user.CompanyId is { } companyId)
        {
            identity.AddClaim(new Claim(CiertoClaims.CompanyId, companyId.ToString()));
        }

        return identity;
    }
}

/// <summary>
/// Pending and disabled users cannot sign in. That is checked only after the password, so the
/// answer to a wrong password is the same whether or not the account exists or is active.
/// </summary>
internal sealed class CiertoSignInManager(
    UserManager<CiertoUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<CiertoUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<CiertoUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CiertoUser> confirmation)
    : SignInManager<CiertoUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> CheckPasswordSignInAsync(CiertoUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        return result.Succeeded && user.Status != UserStatus.Active ? SignInResult.NotAllowed : result;
    }

}
