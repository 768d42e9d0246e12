using Cierto.Domain.Localization;
using Microsoft.Extensions.Localization;

namespace Cierto.Web.Components.Pages.Billing;

/// <summary>A plan's billing period ("month", "year" in the settings) as a price reads it: "per month".</summary>
public static class Periods
{
    public static string Per(IStringLocalizer<Texts> localizer, string period)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return period?.Trim().ToLowerInvariant() switch
        {
            "month" => localizer["per month"],
            "year" => localizer["per year"],
            _ => localizer["per {0}", period ?? string.Empty],
        };
    }
}
