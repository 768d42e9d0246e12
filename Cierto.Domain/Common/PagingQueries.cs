using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Common;

/// <summary>One page of an ordered query: the total of the whole query and the rows of the requested page.</summary>
public static class PagingQueries
{
    /// <summary>
    /// Counts <paramref name="ordered"/> and reads the page the request asks for (its page number and size
    /// brought into range). The query must already be ordered, or pages would not be stable.
    /// </summary>
    public static async Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(page);
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(cancellationToken);
        return new Paged<T>(items, total, page.SafePage, page.SafePageSize);
    }
}
