using System.Globalization;
using CsvHelper;

namespace Cierto.Domain.Common;

/// <summary>
/// CSV as Cierto writes it (CsvHelper): RFC 4180 quoting, one record per line, and a text a
/// spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR first)
/// written with a leading <c>'</c> so it shows as text.
/// </summary>
public static class CsvText
{
    private static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        NewLine = "\n",
    };

    /// <summary>The header, then a record per row; a null field is written empty.</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<string?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            writer.WriteHeader([.. header]);
            foreach (var row in rows)
            {
                writer.WriteRecord(row!);
            }
        }

        return text.ToString();
    }
}
