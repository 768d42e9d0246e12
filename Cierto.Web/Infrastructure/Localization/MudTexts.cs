using Cierto.Domain.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Cierto.Web.Infrastructure.Localization;

/// <summary>
/// MudBlazor's own texts (pager, dialogs, pickers) from Cierto's resources, keyed by MudBlazor's
/// names ("MudDataGridPager_RowsPerPage"). MudBlazor asks only for languages other than English;
/// a key Cierto lacks falls back to MudBlazor's English.
/// </summary>
internal sealed class MudTexts : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var found = Texts.Find(key, System.Globalization.CultureInfo.CurrentUICulture);
            return new LocalizedString(key, found ?? key, resourceNotFound: found is null);
        }
    }
}
