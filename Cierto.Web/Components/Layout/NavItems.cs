using Cierto.Domain.Users;

namespace Cierto.Web.Components.Layout;

/// <summary>One entry of the navigation drawer. <see cref="Roles"/> empty means every signed-in user.</summary>
public sealed record NavItem(string Title, string Href, string Icon, params string[] Roles);

public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> SignedIn =
    [
    ];

    public static readonly IReadOnlyList<NavItem> Anonymous =
    [
    ];

    public static IEnumerable<NavItem> For(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        return SignedIn.Where(item => item.Roles.Length == 0 || item.Roles.Any(user.IsInRole) || user.IsInRole(Roles.Root));
    }
}
