using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// The one table of who may reach what: pages and downloads (the sign-in cookie) and the API (a
/// bearer token) take their policies from <see cref="Table"/>, and the services check the same
/// rules on the Actor. Every policy but <see cref="TwoFactorSettings"/> also needs two-factor
/// authentication where the user's role requires it.
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

    /// <summary>The account pages where two-factor authentication is set up: the one place a user who must set it up may reach first.</summary>
    public const string TwoFactorSettings = nameof(TwoFactorSettings);

    /// <summary>A policy: its name for pages and downloads, its name for the API (if the API has it), and the roles it admits (none: any signed-in user).</summary>
    public sealed record Row(string? Page, string? Api, IReadOnlyList<string> Roles, bool NeedsTwoFactorSetUp = true);

    public static IReadOnlyList<Row> Table { get; } =
    [
        new(Root, null, [Roles.Root]),
        new(Staff, Api.ApiExtensions.Staff, [Roles.Root, Roles.Support]),
        new(CompanyAdmin, Api.ApiExtensions.CompanyAdmin, [Roles.Root, Roles.CompanyAdmin]),
        new(Worker, Api.ApiExtensions.Worker, [Roles.Worker]),
        new(CompanyMember, null, [Roles.CompanyAdmin, Roles.Worker]),
        new(CompanyReader, null, [Roles.Root, Roles.Support, Roles.CompanyAdmin]),
        new(TwoFactorSettings, null, [Roles.Root, Roles.Support, Roles.CompanyAdmin], NeedsTwoFactorSetUp: false),
        new(null, Api.ApiExtensions.SignedIn, []),
    ];

    public static AuthorizationBuilder AddCiertoPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var row in Table)
        {
            if (row.Page is { } page)
            {
                builder.AddPolicy(page, Build(new AuthorizationPolicyBuilder(), row));
            }

            if (row.Api is { } api)
            {
                builder.AddPolicy(api, Build(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme), row));
            }
        }

        return builder;
    }

    private static AuthorizationPolicy Build(AuthorizationPolicyBuilder policy, Row row)
    {
        policy.RequireAuthenticatedUser();
        if (row.Roles.Count > 0)
        {
            policy.RequireRole(row.Roles);
        }

        if (row.NeedsTwoFactorSetUp)
        {
            policy.AddRequirements(new Identity.TwoFactorSetUpRequirement());
        }

        return policy.Build();
    }
}
