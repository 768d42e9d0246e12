using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Infrastructure.Identity;

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
