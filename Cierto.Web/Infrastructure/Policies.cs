using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Named policies for pages and endpoints. The services check the same rules on the Actor; each
/// page policy also needs two-factor authentication where the user's role requires it.
/// </summary>
public static class Policies
{
    public const string Root = nameof(Root);
    public const string Staff = nameof(Staff);
    public const string CompanyAdmin = nameof(CompanyAdmin);
    public const string Worker = nameof(Worker);
    public const string CompanyMember = nameof(CompanyMember);

    /// <summary>Who may look at a company's equipment and usage: its admins, Root, and Support (read-only).</summary>
    public const string CompanyReader = nameof(CompanyReader);

    public static AuthorizationBuilder AddCiertoPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var twoFactor = new Identity.TwoFactorSetUpRequirement();
        return builder
            .AddPolicy(Root, p => p.RequireRole(Roles.Root).AddRequirements(twoFactor))
            .AddPolicy(Staff, p => p.RequireRole(Roles.Root, Roles.Support).AddRequirements(twoFactor))
            .AddPolicy(CompanyAdmin, p => p.RequireRole(Roles.Root, Roles.CompanyAdmin).AddRequirements(twoFactor))
            .AddPolicy(Worker, p => p.RequireRole(Roles.Worker).AddRequirements(twoFactor))
            .AddPolicy(CompanyMember, p => p.RequireRole(Roles.CompanyAdmin, Roles.Worker).AddRequirements(twoFactor))
            .AddPolicy(CompanyReader, p => p.RequireRole(Roles.Root, Roles.Support, Roles.CompanyAdmin).AddRequirements(twoFactor));
    }
}
