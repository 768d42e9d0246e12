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

    /// <summary>The browser sign-in session (<see cref="Domain.Accounts.SignInSession"/>) the cookie belongs to.</summary>
    public const string SignInSession = "cierto:session";

    public static Guid? SignInSessionOf(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.FindFirstValue(SignInSession), out var id) ? id : null;

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
