using System.Globalization;
using Cierto.Domain.Localization;
using Microsoft.Extensions.Localization;

namespace Cierto.Web.Infrastructure.Localization;

/// <summary><c>IStringLocalizer&lt;Texts&gt;</c> for pages: the same resources, plural forms and pseudo language as <see cref="Texts"/>.</summary>
internal sealed class TextsLocalizer : IStringLocalizer<Texts>
{
    public LocalizedString this[string name] => Localize(name, null);

    public LocalizedString this[string name, params object[] arguments] => Localize(name, arguments);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Texts.All(CultureInfo.CurrentUICulture, includeParentCultures).Select(t => new LocalizedString(t.Key, t.Text));

    /// <summary>One resource lookup per text: it gives the text and whether the language has it.</summary>
    private static LocalizedString Localize(string name, object[]? arguments)
    {
        var found = Texts.Find(name, CultureInfo.CurrentUICulture);
        var text = found ?? name;
        return new(name, arguments is null ? text : Texts.Fill(text, arguments), resourceNotFound: found is null);
    }
}
