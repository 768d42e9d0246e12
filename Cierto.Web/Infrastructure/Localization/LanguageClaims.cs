using System.Security.Claims;

namespace Cierto.Web.Infrastructure.Localization;

public static class LanguageClaims
{
    /// <summary>The person's chosen language ("en", "ru"), when they have chosen one.</summary>
    public const string Language = "cierto:lang";

    public static string? LanguageOf(this ClaimsPrincipal? principal) => principal?.FindFirstValue(Language);
}
