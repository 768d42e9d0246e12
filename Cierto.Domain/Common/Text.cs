namespace Cierto.Domain.Common;

/// <summary>
/// What text Cierto takes: no control characters (PostgreSQL refuses NUL outright, and none of
/// them belongs in a name, code or address) and no unpaired UTF-16 surrogates. Multi-line fields
/// may hold line breaks and tabs.
/// </summary>
public static class Text
{
    public const int MaxSearchLength = 200;

    public static bool IsClean(string? value, bool multiline = false)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The refusal of a text with control characters; <paramref name="label"/> is the field's English name.</summary>
    public static string NotAllowedMessage(string label) => Localization.Texts.Format("{0} contains characters that are not allowed (control characters).", Localization.Texts.Get(label));

    /// <summary>
    /// A search box's text, trimmed (null when empty); refused when too long or when it holds characters no field can hold.
    /// <paramref name="field"/> is also the label the message names (a resource key).
    /// </summary>
    public static string? SearchTerm(string? search, string field = "Search")
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return null;
        }

        if (!IsClean(search))
        {
            throw ValidationException.For(field, NotAllowedMessage(field));
        }

        var term = search.Trim();
        return term.Length <= MaxSearchLength ? term : throw ValidationException.For(field, Validation.TextRules.TooLong(field, MaxSearchLength));
    }

    /// <summary>The escape character of <see cref="ContainsPattern"/>.</summary>
    public const string LikeEscape = "\\";

    /// <summary>A LIKE pattern matching any text that contains <paramref name="term"/> as typed: its own % and _ match only themselves.</summary>
    public static string ContainsPattern(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }
}
