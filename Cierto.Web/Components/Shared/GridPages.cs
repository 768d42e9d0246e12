using Cierto.Domain.Common;
using Cierto.Web.Infrastructure;
using MudBlazor;

namespace Cierto.Web.Components.Shared;

/// <summary>The one adapter between a MudDataGrid's ServerData and a domain service's paged list.</summary>
public static class GridPages
{
    /// <summary>
    /// Loads the page the grid asks for (MudBlazor counts pages from 0, services from 1) in its
    /// own scope; <paramref name="list"/> gets the service and the page to read. <paramref name="counted"/>
    /// learns whether the total is exact (for a <c>CountedPager</c>).
    /// </summary>
    public static async Task<GridData<TRow>> GridPageAsync<TService, TRow>(this ServiceRunner services, GridState<TRow> state, Func<TService, PageRequest, Task<Paged<TRow>>> list, Action<bool>? counted = null)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(list);
        var page = await services.RunAsync<TService, Paged<TRow>>(s => list(s, new PageRequest(state.Page + 1, state.PageSize)));
        counted?.Invoke(page.TotalIsExact);
        return new GridData<TRow> { Items = page.Items, TotalItems = page.Total };
    }

    /// <summary>What a grid shows when its rows could not be read (the page says why).</summary>
    public static GridData<TRow> Nothing<TRow>() => new() { Items = [], TotalItems = 0 };
}
