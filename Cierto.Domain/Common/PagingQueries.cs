using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Common;

/// <summary>One page of an ordered query: the total of the whole query (counted up to a bound) and the rows of the requested page.</summary>
public static class PagingQueries
{
    /// <summary>
    /// Lists are counted exactly up to this many rows. Counting is what a page of a long list costs
    /// most: 100,000 items take longer to count than to page through, and nobody reads a total past
    /// this one to the row. Past it a page says how many rows are known to exist ("10,000+").
    /// </summary>
    public const int CountedRows = 10_000;

    /// <summary>
    /// Counts <paramref name="ordered"/> and reads the page the request asks for (its page number and size
    /// brought into range). The query must already be ordered, or pages would not be stable.
    /// </summary>
    public static Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken cancellationToken = default) =>
        ordered.ToPagedAsync(page, rows => rows, cancellationToken);

    /// <summary>
    /// Like <see cref="ToPagedAsync{T}(IQueryable{T}, PageRequest, CancellationToken)"/>, but the rows
    /// of the page are shaped by <paramref name="shape"/> after the database has counted, ordered and
    /// cut the page: joins for names run for the page's rows only, not for every row counted or sorted.
    /// </summary>
    public static Task<Paged<TRow>> ToPagedAsync<T, TRow>(this IQueryable<T> ordered, PageRequest page, Func<IQueryable<T>, IQueryable<TRow>> shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        return ordered.ToPagedAsync(page, shape, ordered.Provider.CreateQuery<T>(WithoutOrdering(ordered.Expression)), cancellationToken);
    }

    /// <summary>
    /// Like <see cref="ToPagedAsync{T, TRow}(IQueryable{T}, PageRequest, Func{IQueryable{T}, IQueryable{TRow}}, CancellationToken)"/>,
    /// but the total is the count of <paramref name="counted"/>: a query with exactly as many rows as
    /// <paramref name="ordered"/> that the database counts from a smaller index.
    /// </summary>
    public static async Task<Paged<TRow>> ToPagedAsync<T, TRow, TCounted>(this IQueryable<T> ordered, PageRequest page, Func<IQueryable<T>, IQueryable<TRow>> shape, IQueryable<TCounted> counted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(counted);
        // One row more than the page tells whether any follow; when none do, the total is known
        // without counting (a short list costs one statement).
        var size = page.SafePageSize;
        var items = await shape(ordered.Skip(page.Skip).Take(size + 1)).ToListAsync(cancellationToken);
        var more = items.Count > size;
        if (!more && (items.Count > 0 || page.Skip == 0))
        {
            return new Paged<TRow>(items, page.Skip + items.Count, page.SafePage, size);
        }

        if (more)
        {
            items.RemoveAt(size);
            if (page.Skip + size + 1 > CountedRows)
            {
                // Deep in a long list: the rows up to here and one more are all that is known.
                return new Paged<TRow>(items, page.Skip + size + 1, page.SafePage, size, TotalIsExact: false);
            }
        }

        // Rows follow this page (or it lies past the end): count them, up to the bound.
        var total = await counted.Take(CountedRows + 1).CountAsync(cancellationToken);
        return new Paged<TRow>(items, Math.Min(total, CountedRows), page.SafePage, size, total <= CountedRows);
    }

    /// <summary>
    /// The query without its final ordering, for counting: a count under a LIMIT with an ORDER BY would
    /// make the database sort rows it only has to count. Only the outer chain of query operators is
    /// touched (ordering under a Skip or Take decides which rows there are, and is kept), never a
    /// subquery inside a lambda.
    /// </summary>
    internal static Expression WithoutOrdering(Expression query) =>
        query is MethodCallExpression { Method.DeclaringType: var type } call && type == typeof(Queryable) && call.Arguments.Count > 0
            ? call.Method.Name switch
            {
                nameof(Queryable.OrderBy) or nameof(Queryable.OrderByDescending) or nameof(Queryable.ThenBy) or nameof(Queryable.ThenByDescending) => WithoutOrdering(call.Arguments[0]),
                nameof(Queryable.Where) or nameof(Queryable.Select) => call.Update(call.Object, [WithoutOrdering(call.Arguments[0]), .. call.Arguments.Skip(1)]),
                _ => call,
            }
            : query;
}
