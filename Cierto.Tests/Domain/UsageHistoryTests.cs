using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Domain;

/// <summary>The history's filters and order over sessions written at known times.</summary>
public sealed class UsageHistoryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private sealed record Company(Actor Admin, Actor Ann, Actor Bob, EquipmentRow Drill, EquipmentRow Saw);

    private async Task<Company> CompanyAsync()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var drill = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Drill", "D-1", null, null)));
        var saw = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Saw", null, null, null)));
        var (_, ann) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, bob) = await app.CreateUserAsync(Roles.Worker, companyId);
        return new Company(admin, ann, bob, drill, saw);
    }

    /// <summary>Ann: drill Mon 8–10, saw Tue 8–9, drill Wed 8 (open). Bob: saw Mon 12 (open).</summary>
    private async Task<Company> HistoryAsync()
    {
        var c = await CompanyAsync();
        await using var db = app.Db();
        var company = c.Admin.CompanyId!.Value;
        var first = new UsageSession(company, c.Drill.Id, c.Ann.UserId, Monday);
        first.End(SessionEndKind.Worker, c.Ann.UserId, null, Monday.AddHours(2));
        var second = new UsageSession(company, c.Saw.Id, c.Ann.UserId, Monday.AddDays(1));
        second.End(SessionEndKind.ForceRelease, c.Admin.UserId, "site B", Monday.AddDays(1).AddHours(1));
        db.UsageSessions.AddRange(first, second, new UsageSession(company, c.Drill.Id, c.Ann.UserId, Monday.AddDays(2)), new UsageSession(company, c.Saw.Id, c.Bob.UserId, Monday.AddHours(4)));
        await db.SaveChangesAsync();
        return c;
    }

    private async Task<List<string>> RowsAsync(Company c, UsageFilter filter)
    {
        var page = await app.RunAsync<UsageHistory, Paged<UsageRow>>(s => s.CompanyAsync(c.Admin, filter, new PageRequest(1, 50)));
        Assert.Equal(page.Items.Count, page.Total);
        return page.Items.Select(r => $"{(r.WorkerId == c.Ann.UserId ? "Ann" : "Bob")} {r.EquipmentName} {r.StartedAt:ddd HH}").ToList();
    }

    [Fact]
    public async Task The_company_history_is_newest_first()
    {
        var c = await HistoryAsync();

        Assert.Equal(["Ann Drill Wed 08", "Ann Saw Tue 08", "Bob Saw Mon 12", "Ann Drill Mon 08"], await RowsAsync(c, new UsageFilter()));
    }

    [Fact]
    public async Task Filters_by_item_worker_and_state()
    {
        var c = await HistoryAsync();

        Assert.Equal(["Ann Drill Wed 08", "Ann Drill Mon 08"], await RowsAsync(c, new UsageFilter(EquipmentId: c.Drill.Id)));
        Assert.Equal(["Bob Saw Mon 12"], await RowsAsync(c, new UsageFilter(WorkerId: c.Bob.UserId)));
        Assert.Equal(["Ann Drill Wed 08", "Bob Saw Mon 12"], await RowsAsync(c, new UsageFilter(Active: true)));
        Assert.Equal(["Ann Saw Tue 08", "Ann Drill Mon 08"], await RowsAsync(c, new UsageFilter(Active: false)));
    }

    [Fact]
    public async Task A_range_keeps_what_overlaps_it_open_sessions_included()
    {
        var c = await HistoryAsync();

        // From Monday 10:00: the drill session ended exactly then still touches the range.
        Assert.Equal(["Ann Drill Wed 08", "Ann Saw Tue 08", "Bob Saw Mon 12", "Ann Drill Mon 08"], await RowsAsync(c, new UsageFilter(From: Monday.AddHours(2))));
        Assert.Equal(["Ann Drill Wed 08", "Ann Saw Tue 08", "Bob Saw Mon 12"], await RowsAsync(c, new UsageFilter(From: Monday.AddHours(2).AddMilliseconds(1))));
        // Up to Tuesday 08:00: what started before it (the saw session starting exactly then is out).
        Assert.Equal(["Bob Saw Mon 12", "Ann Drill Mon 08"], await RowsAsync(c, new UsageFilter(To: Monday.AddDays(1))));
        Assert.Equal(["Ann Saw Tue 08"], await RowsAsync(c, new UsageFilter(From: Monday.AddDays(1), To: Monday.AddDays(2), Active: false)));
    }

    [Fact]
    public async Task A_workers_own_history_and_held_items_are_theirs_only()
    {
        var c = await HistoryAsync();

        var mine = await app.RunAsync<UsageHistory, Paged<UsageRow>>(s => s.MineAsync(c.Ann, new UsageFilter(WorkerId: c.Bob.UserId), new PageRequest(1, 50)));
        var held = await app.RunAsync<UsageHistory, IReadOnlyList<HeldItem>>(s => s.HeldByMeAsync(c.Ann));

        Assert.Equal(3, mine.Total);
        Assert.All(mine.Items, r => Assert.Equal(c.Ann.UserId, r.WorkerId));
        var only = Assert.Single(held);
        Assert.Equal(("Drill", "D-1", Monday.AddDays(2)), (only.EquipmentName, only.InventoryNumber, only.StartedAt));
    }

    [Fact]
    public async Task Held_items_come_oldest_first()
    {
        var c = await CompanyAsync();
        await using (var db = app.Db())
        {
            var company = c.Admin.CompanyId!.Value;
            db.UsageSessions.AddRange(new UsageSession(company, c.Saw.Id, c.Ann.UserId, Monday.AddHours(3)), new UsageSession(company, c.Drill.Id, c.Ann.UserId, Monday));
            await db.SaveChangesAsync();
        }

        var held = await app.RunAsync<UsageHistory, IReadOnlyList<HeldItem>>(s => s.HeldByMeAsync(c.Ann));

        Assert.Equal(["Drill", "Saw"], held.Select(h => h.EquipmentName));
    }

    [Fact]
    public async Task An_items_timeline_is_its_own_and_another_companys_item_is_not_found()
    {
        var c = await HistoryAsync();
        var other = await CompanyAsync();

        var timeline = await app.RunAsync<UsageHistory, Paged<UsageRow>>(s => s.TimelineAsync(c.Admin, c.Saw.Id, new PageRequest(1, 50)));
        var foreign = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageHistory, Paged<UsageRow>>(s => s.TimelineAsync(other.Admin, c.Saw.Id, new PageRequest(1, 50))));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageHistory, Paged<UsageRow>>(s => s.TimelineAsync(other.Admin, Guid.NewGuid(), new PageRequest(1, 50))));

        Assert.Equal([c.Saw.Id, c.Saw.Id], timeline.Items.Select(r => r.EquipmentId));
        Assert.Equal("Equipment was not found.", foreign.Message);
        Assert.Equal(missing.Message, foreign.Message);
    }
}
