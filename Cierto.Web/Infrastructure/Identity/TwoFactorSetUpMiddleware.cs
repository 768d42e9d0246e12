using Microsoft.AspNetCore.StaticAssets;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>People whose role requires two-factor authentication set it up before they use Cierto.</summary>
internal static class TwoFactorSetUpMiddleware
{
    /// <summary>
    /// A GET of anything but the account pages, the circuit hub, the API (which refuses such users a
    /// token) and the health checks goes to the set-up page first; downloads and pages with a dot in
    /// their address included. Only files of the static asset manifest (stylesheets, scripts, icons)
    /// are served as they are. <see cref="TwoFactorSetUpHandler"/>'s policies refuse the rest.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorSetUp(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method) && !IsExempt(context) && context.RequestServices.GetRequiredService<TwoFactorRules>().MustSetUp(context.User))
        {
            context.Response.Redirect($"{context.Request.PathBase}{TwoFactorRules.SetUpPath}?required=true");
            return;
        }

        await next(context);
    });

    private static bool IsExempt(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;
    }
}
