using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>The one paging helper every list uses, on PostgreSQL: the total of the whole query, the rows of one page, the request brought into range.</summary>
public sealed class PagingTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(Guid CompanyId, List<string> Emails)> CompanyWithFiveWorkersAsync()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        for (var i = 0; i < 4; i++)
        {
            await app.CreateUserAsync(Roles.Worker, companyId);
        }

        await using var db = app.Db();
        return (companyId, await db.Users.Where(u => u.CompanyId == companyId).OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync());
    }

    private async Task<Paged<string>> PageAsync(Guid companyId, PageRequest page)
    {
        await using var db = app.Db();
        return await db.Users.Where(u => u.CompanyId == companyId).OrderBy(u => u.Email).Select(u => u.Email!).ToPagedAsync(page);
    }

    [Fact]
    public async Task A_page_holds_its_rows_in_order_and_the_total_of_the_whole_query()
    {
        var (companyId, emails) = await CompanyWithFiveWorkersAsync();

        var second = await PageAsync(companyId, new PageRequest(2, 2));
        var last = await PageAsync(companyId, new PageRequest(3, 2));
        var beyond = await PageAsync(companyId, new PageRequest(4, 2));

        Assert.Equal(emails[2..4], second.Items);
        Assert.Equal((5, 2, 2), (second.Total, second.Page, second.PageSize));
        Assert.Equal(emails[4..], last.Items);
        Assert.Equal((0, 5), (beyond.Items.Count, beyond.Total));
    }

    [Theory]
    [InlineData(0, 2, 1, 2)]
    [InlineData(-3, 2, 1, 2)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(1, 1000, 1, PageRequest.MaxPageSize)]
    public async Task A_page_out_of_range_is_brought_into_range(int page, int size, int servedPage, int servedSize)
    {
        var (companyId, emails) = await CompanyWithFiveWorkersAsync();

        var served = await PageAsync(companyId, new PageRequest(page, size));

        Assert.Equal((servedPage, servedSize, 5), (served.Page, served.PageSize, served.Total));
        Assert.Equal(emails.Take(servedSize), served.Items);
    }

    [Fact]
    public async Task Mapping_a_page_keeps_its_place_and_total()
    {
        var (companyId, emails) = await CompanyWithFiveWorkersAsync();

        var mapped = (await PageAsync(companyId, new PageRequest(2, 3))).Map(e => e.Length);

        Assert.Equal(emails[3..].Select(e => e.Length), mapped.Items);
        Assert.Equal((5, 2, 3), (mapped.Total, mapped.Page, mapped.PageSize));
    }

    [Fact]
    public async Task A_long_list_is_counted_up_to_the_bound_and_deep_pages_know_the_rows_up_to_them()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        const int items = PagingQueries.CountedRows + 60;
        await app.SeedItemsAsync(companyId, items);

        async Task<Paged<EquipmentRow>> PageAsync(int page) =>
            await app.RunAsync<EquipmentService, Paged<EquipmentRow>>(s => s.ListAsync(admin, new EquipmentQuery(), new PageRequest(page, 50)));

        var first = await PageAsync(1);
        var lastCounted = await PageAsync(199);
        var deep = await PageAsync(201);
        var last = await PageAsync(202);
        var beyond = await PageAsync(300);

        Assert.Equal((PagingQueries.CountedRows, false, "Item 000001"), (first.Total, first.TotalIsExact, first.Items[0].Name));
        Assert.Equal((PagingQueries.CountedRows, false, "Item 009901"), (lastCounted.Total, lastCounted.TotalIsExact, lastCounted.Items[0].Name));
        Assert.Equal((10_051, false, 50, "Item 010001"), (deep.Total, deep.TotalIsExact, deep.Items.Count, deep.Items[0].Name));
        Assert.Equal((items, true, 10, "Item 010060"), (last.Total, last.TotalIsExact, last.Items.Count, last.Items[^1].Name));
        Assert.Equal((PagingQueries.CountedRows, false, 0), (beyond.Total, beyond.TotalIsExact, beyond.Items.Count));
    }

    [Fact]
    public void Counting_drops_only_the_outer_ordering_of_a_query()
    {
        var users = Array.Empty<CiertoUser>().AsQueryable();
        var ordered = users.Where(u => u.CompanyId != null).OrderBy(u => u.Email).ThenByDescending(u => u.Id)
            .Select(u => new { u.Email, Newest = users.OrderByDescending(o => o.CreatedAt).Select(o => o.Id).FirstOrDefault() });
        var cut = users.OrderBy(u => u.Email).Take(5).Select(u => u.Email);

        var counted = PagingQueries.WithoutOrdering(ordered.Expression).ToString();

        Assert.DoesNotContain(".OrderBy(u => u.Email)", counted, StringComparison.Ordinal);
        Assert.DoesNotContain("ThenByDescending", counted, StringComparison.Ordinal);
        Assert.Contains(".Where(u => (u.CompanyId != null))", counted, StringComparison.Ordinal);
        Assert.Contains("OrderByDescending(o => o.CreatedAt)", counted, StringComparison.Ordinal); // a subquery's ordering decides its row
        Assert.Equal(cut.Expression.ToString(), PagingQueries.WithoutOrdering(cut.Expression).ToString()); // ordering under a cut decides the rows
    }
}

