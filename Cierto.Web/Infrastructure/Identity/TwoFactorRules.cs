using System.Security.Claims;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>
/// Roles whose members must use two-factor authentication (<c>Cierto:Security:TwoFactorRequiredRoles</c>,
/// comma-separated; Root and Support by default). Until such a user has set it up, every page but
/// their account pages sends them to set it up, their policies fail, and the API refuses them a token.
/// </summary>
public sealed class TwoFactorRules(IConfiguration configuration)
{
    public const string RolesKey = "Cierto:Security:TwoFactorRequiredRoles";

    /// <summary>On the signed-in principal when the account has two-factor authentication on.</summary>
    public const string EnabledClaim = "cierto:2fa";

    public const string SetUpPath = "/Account/Manage/EnableAuthenticator";

    private readonly HashSet<string> roles = (configuration[RolesKey] ?? $"{Roles.Root},{Roles.Support}")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToHashSet(StringComparer.Ordinal);

    public bool IsRequiredFor(IEnumerable<string> userRoles) => userRoles.Any(roles.Contains);

    /// <summary>Signed in, in a role that requires two-factor authentication, and without it.</summary>
    public bool MustSetUp(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            && !user.HasClaim(EnabledClaim, "on")
            && IsRequiredFor(user.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }
}
