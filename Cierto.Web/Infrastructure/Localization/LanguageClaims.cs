using System.Globalization;
using System.Security.Claims;
using Cierto.Domain.Localization;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace Cierto.Web.Infrastructure.Localization;

public static class LanguageClaims
{
    /// <summary>The person's chosen language ("en", "ru"), when they have chosen one.</summary>
    public const string Language = "cierto:lang";

    public static string? LanguageOf(this ClaimsPrincipal? principal) => principal?.FindFirstValue(Language);
}
