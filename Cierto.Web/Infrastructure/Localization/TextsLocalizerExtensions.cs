using Cierto.Domain.Localization;
using Microsoft.Extensions.Localization;

namespace Cierto.Web.Infrastructure.Localization;

public static class TextsLocalizerExtensions
{
    /// <summary>The form of a counted text for <paramref name="count"/> (its plural forms are separated by <c>|</c>).</summary>
    public static string Plural(this IStringLocalizer<Texts> localizer, string key, long count, params object?[] arguments) =>
        Texts.Plural(key, count, arguments);
}
