using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Web.Api;

internal static class ApiPaging
{
    public static PageRequest Of(int? page, int? pageSize)
    {
        var validator = new Validator();
        if (page is < 1)
        {
            validator.Add("Page", Texts.Get("Page starts at 1."));
        }

        if (pageSize is < 1 or > PageRequest.MaxPageSize)
        {
            validator.Add("PageSize", Texts.Format("Page size must be 1 to {0}.", PageRequest.MaxPageSize));
        }

        validator.ThrowIfInvalid();
        return new PageRequest(page ?? 1, pageSize ?? 50);
    }
}
