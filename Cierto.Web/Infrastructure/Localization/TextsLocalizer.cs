using System.Globalization;
using System.Resources;
using Cierto.Domain.Localization;
using Microsoft.Extensions.Localization;

namespace Cierto.Web.Infrastructure.Localization;

/// <summary><c>IStringLocalizer&lt;Texts&gt;</c> for pages: the same resources, plural forms and pseudo language as <see cref="Texts"/>.</summary>
internal sealed class TextsLocalizer : IStringLocalizer<Texts>
{
    public LocalizedString this[string name] => new(name, Texts.Get(name), !Texts.Has(name, CultureInfo.CurrentUICulture));

    public LocalizedString this[string name, params object[] arguments] =>
        new(name, Texts.Format(name, arguments), !Texts.Has(name, CultureInfo.CurrentUICulture));

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
    {
        var resources = new ResourceManager(typeof(Texts)).GetResourceSet(CultureInfo.CurrentUICulture, createIfNotExists: true, tryParents: includeParentCultures);
        return resources is null
            ? []
            : resources.Cast<System.Collections.DictionaryEntry>().Select(e => new LocalizedString((string)e.Key, Texts.Get((string)e.Key)));
    }
}

public static class TextsLocalizerExtensions
{
    /// <summary>The form of a counted text for <paramref name="count"/> (its plural forms are separated by <c>|</c>).</summary>
    public static string Plural(this IStringLocalizer<Texts> localizer, string key, long count, params object?[] arguments) =>
        Texts.Plural(key, count, arguments);
}
