using Cierto.Domain.Common;

namespace Cierto.Domain.Equipment;

/// <summary>
/// What a scanned label says. A label's QR code holds the activation link
/// (<c>https://…/activate?code=ABC1234</c>); a hand-made one may hold the bare code. Either way the
/// activation code comes out normalised, or null for anything else (another app's QR code).
/// </summary>
public static class LabelCodes
{
    public static string? Read(string? scanned)
    {
        var text = scanned?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 2048)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).TryGetValue("code", out var values) ? values.ToString() : null;
            return uri.AbsolutePath.TrimEnd('/').EndsWith("/activate", StringComparison.OrdinalIgnoreCase) ? WellFormed(code) : null;
        }

        return WellFormed(text);
    }

    private static string? WellFormed(string? code)
    {
        var normalized = Codes.Normalize(code);
        return Codes.IsWellFormed(normalized, EquipmentItem.ActivationCodeMinLength, EquipmentItem.ActivationCodeMaxLength) ? normalized : null;
    }
}
