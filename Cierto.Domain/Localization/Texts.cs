using System.Globalization;
using System.Resources;
using System.Text;

namespace Cierto.Domain.Localization;

/// <summary>
/// Every text a person reads, in their language. The key is the English text itself (so code
/// reads as what the user sees); <c>Texts.resx</c> holds English, <c>Texts.ru.resx</c> Russian.
/// Pages read them through <c>IStringLocalizer&lt;Texts&gt;</c>; code without a component (domain
/// rules, mail, API problems) through the static methods here. Both follow
/// <see cref="CultureInfo.CurrentUICulture"/>, which the request (or the circuit) sets.
/// </summary>
/// <remarks>
/// A text with a count has its plural forms separated by <c>|</c>: English one|other, Russian
/// one|few|many (CLDR), chosen by <see cref="Plural"/>. The pseudo language
/// <see cref="Languages.Pseudo"/> shows every text accented and 40 % longer, to find truncation.
/// </remarks>
public sealed class Texts
{
    private static readonly ResourceManager Resources = new(typeof(Texts).FullName!, typeof(Texts).Assembly);

    private Texts()
    {
    }

    /// <summary>The text in the current language; the key (English) when a language lacks it.</summary>
    public static string Get(string key) => Find(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>The text in <paramref name="culture"/>, or null when no resource has it (then the English key is shown).</summary>
    public static string? Find(string key, CultureInfo culture) =>
        Languages.IsPseudo(culture)
            ? Pseudo(Resources.GetString(key, CultureInfo.InvariantCulture) ?? key)
            : Resources.GetString(key, culture);

    /// <summary>Every text of a language, with its key.</summary>
    public static IEnumerable<(string Key, string Text)> All(CultureInfo culture, bool includeParentCultures) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: includeParentCultures) is { } set
            ? set.Cast<System.Collections.DictionaryEntry>().Select(e => ((string)e.Key, Get((string)e.Key)))
            : [];

    /// <summary>The text with its <c>{0}</c>… filled, numbers and dates formatted for the reader.</summary>
    public static string Format(string key, params object?[] arguments) => Fill(Get(key), arguments);

    /// <summary>A text already in the reader's language with its <c>{0}</c>… filled.</summary>
    public static string Fill(string text, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, text, arguments);

    /// <summary>The form of the text for <paramref name="count"/> ("1 item", "5 items"); <c>{0}</c> is the count.</summary>
    public static string Plural(string key, long count, params object?[] arguments)
    {
        var forms = Get(key).Split('|');
        var form = forms[Math.Min(FormIndex(CultureInfo.CurrentUICulture, count), forms.Length - 1)];
        return Fill(form, [count, .. arguments]);
    }

    /// <summary>CLDR cardinal rules for the languages Cierto speaks: English one/other, Russian one/few/many.</summary>
    public static int FormIndex(CultureInfo culture, long count)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var n = Math.Abs(count);
        if (Languages.Of(culture) != "ru")
        {
            return n == 1 ? 0 : 1;
        }

        return (n % 10, n % 100) switch
        {
            (1, not 11) => 0,
            ( >= 2 and <= 4, not (>= 12 and <= 14)) => 1,
            _ => 2,
        };
    }

    /// <summary>"Save" → "[Šåvé·····]": accented, 40 % longer, bracketed; <c>{0}</c> and plural bars stay usable.</summary>
    internal static string Pseudo(string text)
    {
        var result = new StringBuilder(text.Length * 2);
        foreach (var form in text.Split('|'))
        {
            if (result.Length > 0)
            {
                result.Append('|');
            }

            result.Append('[');
            var depth = 0;
            foreach (var c in form)
            {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                result.Append(depth > 0 || c == '}' ? c : Accent(c));
            }

            result.Append('·', Math.Max(1, (int)Math.Ceiling(form.Length * 0.4))).Append(']');
        }

        return result.ToString();
    }

    private static char Accent(char c) => c switch
    {
        'a' => 'å',
        'e' => 'é',
        'i' => 'î',
        'o' => 'ö',
        'u' => 'ü',
        'c' => 'ç',
        'n' => 'ñ',
        's' => 'š',
        'y' => 'ý',
        'z' => 'ž',
        'A' => 'Å',
        'E' => 'É',
        'I' => 'Î',
        'O' => 'Ö',
        'U' => 'Ü',
        'C' => 'Ç',
        'N' => 'Ñ',
        'S' => 'Š',
        'Y' => 'Ý',
        'Z' => 'Ž',
        _ => c,
    };
}
