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

    /// <summary>The company's IANA time zone: every time the user reads is shown in it.</summary>
    public const string TimeZone = "cierto:tz";

    /// <summary>The zone the user reads times in: their company's, UTC for staff (who then see the zone named).</summary>
    public static string? TimeZoneOf(this ClaimsPrincipal principal) => principal?.FindFirstValue(TimeZone);

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
internal sealed class CiertoClaimsPrincipalFactory(UserManager<CiertoUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options, Cierto.Domain.Data.CiertoDbContext db)
    : UserClaimsPrincipalFactory<CiertoUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CiertoUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CiertoClaims.DisplayName, user.DisplayName));
        if (user.Language is { Length: > 0 } language)
        {
            identity.AddClaim(new Claim(Localization.LanguageClaims.Language, language));
        }

        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(TwoFactorRules.EnabledClaim, "on"));
        }
        if (user.CompanyId is { } companyId)
        {
            identity.AddClaim(new Claim(CiertoClaims.CompanyId, companyId.ToString()));
            var zone = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(db.Companies.Where(c => c.Id == companyId).Select(c => c.TimeZone));
            identity.AddClaim(new Claim(CiertoClaims.TimeZone, zone ?? Cierto.Domain.Common.CompanyTime.Default));
        }

        return identity;
    }
}

/// <summary>
/// Sign-in rules of Cierto. Pending and disabled users cannot sign in; that is checked only after
/// the password, so the answer to a wrong password is the same whether or not the account exists or
/// is active. Every failure costs one password hash: an unknown address, a locked account and an
/// account without a password are checked against a dummy hash, so timing does not tell them apart.
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
    private static readonly string DummyHash = new PasswordHasher<CiertoUser>().HashPassword(new CiertoUser(), Guid.NewGuid().ToString());

    /// <summary>The account of this address and the password check's result; the user is null for an unknown address.</summary>
    public async Task<(CiertoUser? User, SignInResult Result)> CheckPasswordByEmailAsync(string? email, string? password)
    {
        var address = email?.Trim();
        var user = address is { Length: > 0 and <= 256 } ? await UserManager.FindByEmailAsync(address) : null;
        if (user is null)
        {
            HashAnyway(password);
            return (null, SignInResult.Failed);
        }

        return (user, await CheckPasswordSignInAsync(user, password ?? string.Empty, lockoutOnFailure: true));
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            HashAnyway(password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(CiertoUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await UserManager.IsLockedOutAsync(user))
        {
            // Identity answers a locked account before hashing; hash anyway, then say "locked".
            HashAnyway(password, user.PasswordHash);
            return SignInResult.LockedOut;
        }

        if (user.PasswordHash is null)
        {
            HashAnyway(password);
        }

        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        return result.Succeeded && user.Status != UserStatus.Active ? SignInResult.NotAllowed : result;
    }

    private void HashAnyway(string? password, string? hash = null) =>
        UserManager.PasswordHasher.VerifyHashedPassword(new CiertoUser(), hash ?? DummyHash, password ?? string.Empty);
}
