using System.Security.Claims;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace Cierto.Web.Infrastructure.Identity;

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
