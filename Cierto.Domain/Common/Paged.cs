namespace Cierto.Domain.Common;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    /// <summary>The same page with each row turned into another shape (for what the database cannot compute).</summary>
    public Paged<TResult> Map<TResult>(Func<T, TResult> map) => new(Items.Select(map).ToList(), Total, Page, PageSize);
}
