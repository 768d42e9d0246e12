using Cierto.Domain.Common;
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
}
