using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Common;

/// <summary>One page of an ordered query: the total of the whole query and the rows of the requested page.</summary>
public static class PagingQueries
{
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
    public static async Task<Paged<TRow>> ToPagedAsync<T, TRow>(this IQueryable<T> ordered, PageRequest page, Func<IQueryable<T>, IQueryable<TRow>> shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(shape);
        var total = await ordered.CountAsync(cancellationToken);
        var items = await shape(ordered.Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(cancellationToken);
        return new Paged<TRow>(items, total, page.SafePage, page.SafePageSize);
    }
}
