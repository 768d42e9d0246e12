namespace Cierto.Domain.Common;

/// <summary>
/// One page of a list. <see cref="Total"/> is the number of rows of the whole list when
/// <see cref="TotalIsExact"/>; past <see cref="PagingQueries.CountedRows"/> rows counting stops,
/// and it is the number of rows known to exist: "10,000+".
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsExact = true)
{
    /// <summary>The same page with each row turned into another shape (for what the database cannot compute).</summary>
    public Paged<TResult> Map<TResult>(Func<T, TResult> map) => new(Items.Select(map).ToList(), Total, Page, PageSize, TotalIsExact);
}
