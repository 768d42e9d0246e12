namespace Cierto.Web.Infrastructure.Identity;

/// <summary>People whose role requires two-factor authentication set it up before they use Cierto.</summary>
internal static class TwoFactorSetUpMiddleware
{
    /// <summary>
    /// A full page load of anything but the account pages (and the framework's own endpoints)
    /// goes to the set-up page first; <see cref="TwoFactorSetUpHandler"/>'s policies refuse the rest.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorSetUp(this IApplicationBuilder app) => app.Use(async (context, next) =>
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
