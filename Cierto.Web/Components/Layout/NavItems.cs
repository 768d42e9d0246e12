using Cierto.Domain.Users;

namespace Cierto.Web.Components.Layout;

/// <summary>One entry of the navigation drawer. <see cref="Roles"/> empty means every signed-in user.</summary>
public sealed record NavItem(string Title, string Href, string Icon, params string[] Roles);

public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> SignedIn =
    [
        new("Activate", "activate", MudBlazor.Icons.Material.Outlined.QrCodeScanner, Roles.Worker),
        new("My equipment", "my-equipment", MudBlazor.Icons.Material.Outlined.Handyman, Roles.Worker),
        new("Free equipment", "free-equipment", MudBlazor.Icons.Material.Outlined.Inventory2, Roles.Worker),
        new("My history", "history", MudBlazor.Icons.Material.Outlined.History, Roles.Worker),
        new("Bookings", "bookings", MudBlazor.Icons.Material.Outlined.EventAvailable, Roles.Worker, Roles.CompanyAdmin),
        new("Dashboard", "dashboard", MudBlazor.Icons.Material.Outlined.Dashboard, Roles.CompanyAdmin),
        new("Equipment", "equipment", MudBlazor.Icons.Material.Outlined.Construction, Roles.CompanyAdmin),
        new("Stock-takes", "stock-takes", MudBlazor.Icons.Material.Outlined.FactCheck, Roles.CompanyAdmin),
        new("Usage history", "usage-history", MudBlazor.Icons.Material.Outlined.ManageSearch, Roles.CompanyAdmin),
        new("Workers", "admin/workers", MudBlazor.Icons.Material.Outlined.Groups, Roles.CompanyAdmin),
        new("Invite codes", "support/invite-codes", MudBlazor.Icons.Material.Outlined.ConfirmationNumber, Roles.Support),
        new("Companies", "support/companies", MudBlazor.Icons.Material.Outlined.Business, Roles.Support),
        new("Orders", "support/orders", MudBlazor.Icons.Material.Outlined.ReceiptLong, Roles.Support),
        new("Audit log", "root/audit", MudBlazor.Icons.Material.Outlined.Policy, Roles.Root, Roles.Support),
        new("Staff", "root/staff", MudBlazor.Icons.Material.Outlined.SupportAgent, Roles.Root),
        new("Outbox", "root/outbox", MudBlazor.Icons.Material.Outlined.Outbox, Roles.Root),
        new("Load", "root/load", MudBlazor.Icons.Material.Outlined.Speed, Roles.Root),
        new("Account", "Account/Manage", MudBlazor.Icons.Material.Outlined.ManageAccounts),
    ];

    public static readonly IReadOnlyList<NavItem> Anonymous =
    [
        new("Sign in", "Account/Login", MudBlazor.Icons.Material.Outlined.Login),
        new("Register a company", "register-company", MudBlazor.Icons.Material.Outlined.AddBusiness),
        new("Join your company", "join", MudBlazor.Icons.Material.Outlined.GroupAdd),
        new("Pricing", "pricing", MudBlazor.Icons.Material.Outlined.Sell),
    ];

    public static IEnumerable<NavItem> For(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        // Root sees every admin and staff page, but the worker's own pages only make sense for workers.
        return SignedIn.Where(item => item.Roles.Length == 0 || item.Roles.Any(user.IsInRole) || (user.IsInRole(Roles.Root) && !item.Roles.Contains(Roles.Worker)));
    }
}
