using Cierto.Domain.Common;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Web pages: a query string or a posted form with control characters or unpaired surrogates is
/// answered 400 with a plain explanation before any page runs (the API does the same per field,
/// see <c>TextInputFilter</c>). Form fields may hold line breaks and tabs (text areas).
/// </summary>
public static class TextInputMiddleware
{
    public static IApplicationBuilder UseCleanTextInput(this IApplicationBuilder app) =>
        app.UseWhen(IsPage, pages => pages.Use(async (context, next) =>
        {
            var clean = context.Request.Query.All(q => Text.IsClean(q.Key) && q.Value.All(v => Text.IsClean(v)));
            if (clean && context.Request.HasFormContentType && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                try
                {
                    var form = await context.Request.ReadFormAsync(context.RequestAborted);
                    clean = form.All(f => Text.IsClean(f.Key) && f.Value.All(v => Text.IsClean(v, multiline: true)));
                }
                catch (InvalidDataException)
                {
                    clean = false; // the framework's own form reader refuses NUL
                }
            }

            if (!clean)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(Domain.Localization.Texts.Get("Bad request: the form or address contains characters that are not allowed (control characters). Go back, remove them and try again."), context.RequestAborted);
                return;
            }

            await next(context);
        }));

    private static bool IsPage(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase);
}
