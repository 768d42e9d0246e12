using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Cierto.Web.Infrastructure.Localization;

/// <summary>
/// The language switcher's form posts here: the choice goes into the culture cookie (for everyone,
/// signed in or not) and, for a signed-in person, into their account, so it follows them to other
/// browsers, the mobile app and their mail. The page then reloads in the new language.
/// </summary>
internal static class LanguageSwitch
{
    public const string Path = "/language";

    public static IEndpointConventionBuilder MapLanguageSwitch(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, async (HttpContext context, [FromForm] string? language, [FromForm] string? returnUrl, UserManager<CiertoUser> users, SignInManager<CiertoUser> signIn) =>
        {
            var target = LocalUrls.OrHome(returnUrl);
            if (Languages.Supported(language) is not { } chosen || chosen == Languages.Pseudo)
            {
                return Results.LocalRedirect(target);
            }

            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CiertoLanguage.CookieValue(chosen), new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
            });

            if (context.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(context.User) is { } user && user.Language != chosen)
            {
                user.Language = chosen;
                await users.UpdateAsync(user);
                await signIn.RefreshSignInAsync(user);
            }

            return Results.LocalRedirect(target);
        }).ExcludeFromDescription();
}
