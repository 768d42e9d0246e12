using Cierto.Domain.Localization;

namespace Cierto.Web.Components.Pages.Billing;

/// <summary>A plan's billing period ("month", "year" in the settings) as a price reads it: "per month".</summary>
public static class Periods
{
    public static string Per(string period) =>
        period?.Trim().ToLowerInvariant() switch
        {
            "month" => Texts.Get("per month"),
            "year" => Texts.Get("per year"),
            _ => Texts.Format("per {0}", period ?? string.Empty),
        };
}
