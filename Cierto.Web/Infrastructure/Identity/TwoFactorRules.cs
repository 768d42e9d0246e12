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

/// <summary>Part of every page policy: met unless the user still has to set up two-factor authentication.</summary>
public sealed class TwoFactorSetUpRequirement : IAuthorizationRequirement;

internal sealed class TwoFactorSetUpHandler(TwoFactorRules rules) : AuthorizationHandler<TwoFactorSetUpRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorSetUpRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!rules.MustSetUp(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A full page load of anything but the account pages (and the framework's own endpoints)
    /// goes to the set-up page first; the policies above refuse the rest.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorSetUp(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var exempt = path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || Path.HasExtension(path.Value);
        if (!exempt && HttpMethods.IsGet(context.Request.Method) && context.RequestServices.GetRequiredService<TwoFactorRules>().MustSetUp(context.User))
        {
            context.Response.Redirect($"{context.Request.PathBase}{TwoFactorRules.SetUpPath}?required=true");
            return;
        }

        await next(context);
    });
}
