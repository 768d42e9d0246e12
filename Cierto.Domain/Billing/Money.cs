using System.Globalization;

namespace Cierto.Domain.Billing;

/// <summary>Amounts are kept in minor units (cents); currencies without them (JPY, ...) are whole.</summary>
public static class Money
{
    private static readonly HashSet<string> ZeroDecimal = ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];

    public static long ToMinor(decimal amount, string currency) =>
        (long)decimal.Round(amount * Factor(currency), 0, MidpointRounding.AwayFromZero);

    public static decimal FromMinor(long minor, string currency) => minor / Factor(currency);

    /// <summary>"EUR 29.00" ("EUR 29,00" in Russian): the currency code is unambiguous in every language, the number is written the reader's way.</summary>
    public static string Format(long minor, string currency) =>
        $"{currency.ToUpperInvariant()} {FromMinor(minor, currency).ToString(ZeroDecimal.Contains(currency.ToUpperInvariant()) ? "N0" : "N2", CultureInfo.CurrentCulture)}";

    private static decimal Factor(string currency) => ZeroDecimal.Contains(currency.ToUpperInvariant()) ? 1m : 100m;
}
