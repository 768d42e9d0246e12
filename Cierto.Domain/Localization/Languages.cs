using System.Globalization;

namespace Cierto.Domain.Localization;

/// <summary>The languages Cierto speaks, by two-letter code, and how a culture maps onto them.</summary>
public static class Languages
{
    public const string English = "en";
    public const string Russian = "ru";

    /// <summary>Pseudo-localisation (accented, lengthened texts) for layout checks; offered only when configured.</summary>
    public const string Pseudo = "qps-Ploc";

    public const int MaxLength = 16;

    public static IReadOnlyList<string> All { get; } = [English, Russian];

    /// <summary>Each language's name in itself, as a switcher shows it.</summary>
    public static string NativeName(string language) => language switch
    {
        Russian => "Русский",
        _ => "English",
    };

    /// <summary>The supported language of a culture ("ru-RU" → "ru"), or null when Cierto does not speak it.</summary>
    public static string? Supported(string? culture)
    {
        if (string.IsNullOrWhiteSpace(culture))
        {
            return null;
        }

        if (string.Equals(culture, Pseudo, StringComparison.OrdinalIgnoreCase))
        {
            return Pseudo;
        }

        var language = culture.Split('-', '_')[0].ToLowerInvariant();
        return All.Contains(language) ? language : null;
    }

    /// <summary>The language a culture speaks (English for anything Cierto does not speak).</summary>
    public static string Of(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return Supported(culture.Name) ?? English;
    }

    public static bool IsPseudo(CultureInfo culture) =>
        string.Equals(culture?.Name, Pseudo, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How dates and numbers are written for a language when the browser names no region of it:
    /// English day-first with a 24-hour clock (as most of the world writes it), Russian as in Russia.
    /// </summary>
    public static string DefaultFormat(string language) => language switch
    {
        Russian => "ru-RU",
        Pseudo => Pseudo,
        _ => "en-GB",
    };

    /// <summary>Writes something in a language (mail to someone, a message for a reader), then puts the thread's languages back.</summary>
    public static T In<T>(string? language, Func<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var chosen = Supported(language) ?? English;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(DefaultFormat(chosen));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(chosen);
            return write();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }

    /// <summary>The language of the current request or circuit, as stored for a person (their mail is written in it).</summary>
    public static string Current => Of(CultureInfo.CurrentUICulture) is var language && language == Pseudo ? English : language;
}
