using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Localization;
using FluentValidation;

namespace Cierto.Web.Api;

internal static class ApiPaging
{
    private static readonly PageQueryValidator Rules = new();

    /// <summary>A list endpoint's <c>page</c> and <c>pageSize</c>: 1 and 50 when left out; out of range is a 400 <c>validation</c> naming each.</summary>
    public static PageRequest Of(int? page, int? pageSize)
    {
        Rules.ThrowIfInvalid(new PageQuery(page, pageSize));
        return new PageRequest(page ?? 1, pageSize ?? 50);
    }

    private sealed record PageQuery(int? Page, int? PageSize);

    private sealed class PageQueryValidator : CiertoValidator<PageQuery>
    {
        public PageQueryValidator()
        {
            RuleFor(q => q.Page).GreaterThanOrEqualTo(1).WithMessage(_ => Texts.Get("Page starts at 1."));
            RuleFor(q => q.PageSize).InclusiveBetween(1, PageRequest.MaxPageSize).WithMessage(_ => Texts.Format("Page size must be 1 to {0}.", PageRequest.MaxPageSize));
        }
    }
}
