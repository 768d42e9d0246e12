using System.Security.Cryptography;
using System.Text;

namespace Cierto.Domain.Common;

/// <summary>
/// Human-facing codes (activation, join, invite). The alphabet leaves out look-alikes
/// (0/O, 1/I/L) so a code read off a scratched sticker is typed right the first time.
/// </summary>
public static class Codes
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string Generate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    /// <summary>Upper-cases and drops dashes and white space, so "ab-c d23" and "ABCD23" are the same code.</summary>
    public static string Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    public static bool IsWellFormed(string normalized, int minLength, int maxLength) =>
        normalized.Length >= minLength
        && normalized.Length <= maxLength
        && normalized.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>Groups a code for display: "ABCD2345" becomes "ABCD-2345".</summary>
    public static string Format(string normalized, int group = 4)
    {
        if (normalized.Length <= group + 2)
        {
            return normalized;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < normalized.Length; i++)
        {
            if (i > 0 && i % group == 0)
            {
                builder.Append('-');
            }

            builder.Append(normalized[i]);
        }

        return builder.ToString();
    }

    public static string Hash(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    /// <summary>Whether <paramref name="candidate"/> is the code behind <paramref name="storedHash"/>, in constant time.</summary>
    public static bool HashEquals(string storedHash, string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(Hash(Normalize(candidate))));
}
