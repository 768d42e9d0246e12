using System.Collections.Concurrent;
using System.Text;
using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

/// <summary>
/// What each change to an item leaves behind (the audit trail, the live event, the version), the
/// orders lists come in, and each refusal word for word.
/// </summary>
public sealed class EquipmentChangesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<EquipmentRow> CreateAsync(Actor admin, string name, string? inventory = null, string? category = null) =>
        app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, inventory, category, null)));

    private Task<T> RunAsync<T>(Func<EquipmentService, Task<T>> action) => app.RunAsync(action);

    private async Task<List<(string Action, string? TargetId, string? Details, Guid? ActorId)>> AuditAsync(Guid companyId)
    {
        await using var db = app.Db();
        return (await db.AuditEntries.AsNoTracking().Where(a => a.CompanyId == companyId && a.Action.StartsWith("equipment.")).OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.TargetId, a.Details, a.ActorId }).ToListAsync())
            .Select(a => (a.Action, a.TargetId, a.Details, a.ActorId)).ToList();
    }

    /// <summary>Collects the company's live events until disposed.</summary>
    private sealed class Events : IDisposable
    {
        private readonly IDisposable subscription;

        public Events(AppFixture app, Guid companyId) =>
            subscription = app.App.Services.GetRequiredService<IEventBus>().Subscribe(companyId, e =>
            {
                Received.Enqueue(e);
                return Task.CompletedTask;
            });

        public ConcurrentQueue<EquipmentUsageChanged> Received { get; } = new();

        public async Task<EquipmentUsageChanged> NextAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            EquipmentUsageChanged? next;
            while (!Received.TryDequeue(out next))
            {
                Assert.True(DateTime.UtcNow < deadline, "No live event within 10 s.");
                await Task.Delay(20);
            }

            return next;
        }

        public void Dispose() => subscription.Dispose();
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_what_and_the_item_and_announced_live()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        using var events = new Events(app, companyId);
        var item = await CreateAsync(admin, "Hilti drill", "HD-1");
        var created = await events.NextAsync();

        var updated = await RunAsync(s => s.UpdateAsync(admin, item.Id, new EquipmentInput(" Hilti drill XL ", "HD-1", "Power tools", null), item.Version));
        var afterUpdate = await events.NextAsync();
        var outOfService = await RunAsync(s => s.MarkOutOfServiceAsync(admin, item.Id));
        await events.NextAsync();
        var back = await RunAsync(s => s.ReturnToServiceAsync(admin, item.Id));
        await events.NextAsync();
        var recoded = await RunAsync(s => s.RegenerateActivationCodeAsync(admin, item.Id));
        await events.NextAsync();
        var retired = await RunAsync(s => s.RetireAsync(admin, item.Id));
        await events.NextAsync();
        await app.RunAsync<EquipmentService>(s => s.DeleteAsync(admin, item.Id));
        var deleted = await events.NextAsync();

        Assert.Equal(
            ["equipment.created", "equipment.updated", "equipment.out-of-service", "equipment.back-in-service", "equipment.code-regenerated", "equipment.retired", "equipment.deleted"],
            (await AuditAsync(companyId)).Select(a => a.Action));
        Assert.All(await AuditAsync(companyId), a => Assert.Equal((item.Id.ToString(), admin.UserId), (a.TargetId, a.ActorId)));
        Assert.Equal("Hilti drill XL", (await AuditAsync(companyId))[^1].Details);
        Assert.Equal((companyId, item.Id, UsageChangeKind.EquipmentChanged), (created.CompanyId, created.EquipmentId, created.Kind));
        Assert.Equal((item.Id, UsageChangeKind.EquipmentChanged), (afterUpdate.EquipmentId, afterUpdate.Kind));
        Assert.Equal((item.Id, UsageChangeKind.EquipmentChanged), (deleted.EquipmentId, deleted.Kind));
        Assert.Equal("Hilti drill XL", updated.Name);
        Assert.Equal([EquipmentStatus.OutOfService, EquipmentStatus.Available, EquipmentStatus.Available, EquipmentStatus.Retired], new[] { outOfService.Status, back.Status, recoded.Status, retired.Status });
        Assert.Equal(7, new[] { item.Version, updated.Version, outOfService.Version, back.Version, recoded.Version, retired.Version, Guid.Empty }.Distinct().Count()); // each change is a new version
        Assert.NotEqual(item.ActivationCode, recoded.ActivationCode);
        Assert.Equal(item.ActivationCode, back.ActivationCode);
    }

    [Fact]
    public async Task A_stale_version_changes_nothing_and_says_so()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Laser");
        await RunAsync(s => s.UpdateAsync(admin, item.Id, new EquipmentInput("Laser 2", null, null, null), item.Version));

        var stale = await Assert.ThrowsAsync<DomainException>(() => RunAsync(s => s.UpdateAsync(admin, item.Id, new EquipmentInput("Laser 3", null, null, null), item.Version)));

        Assert.Equal(("concurrency", "Someone else changed this item meanwhile. Reload it and try again."), (stale.Code, stale.Message));
        Assert.Equal("Laser 2", (await RunAsync(s => s.GetAsync(admin, item.Id))).Name);
    }

    [Fact]
    public async Task Inventory_numbers_are_unique_per_company_and_an_item_keeps_its_own()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var drill = await CreateAsync(admin, "Drill", "INV-7");
        await CreateAsync(otherAdmin, "Their drill", "INV-7"); // another company may use the same number
        var saw = await CreateAsync(admin, "Saw", "INV-8");

        var kept = await RunAsync(s => s.UpdateAsync(admin, drill.Id, new EquipmentInput("Drill (red)", "INV-7", null, null), drill.Version));
        var taken = await Assert.ThrowsAsync<ValidationException>(() => RunAsync(s => s.UpdateAsync(admin, saw.Id, new EquipmentInput("Saw", " INV-7 ", null, null), saw.Version)));
        var emptied = await RunAsync(s => s.UpdateAsync(admin, saw.Id, new EquipmentInput("Saw", "  ", null, null), saw.Version));

        Assert.Equal("Drill (red)", kept.Name);
        Assert.Equal(["Another item already has inventory number INV-7."], taken.Errors["InventoryNumber"]);
        Assert.Null(emptied.InventoryNumber);
    }

    [Fact]
    public async Task Taking_a_held_item_out_of_use_and_deleting_a_used_one_are_refused_in_words()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Core drill");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));

        var inUse = await Assert.ThrowsAsync<DomainException>(() => RunAsync(s => s.RetireAsync(admin, item.Id)));
        await app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(worker, session.SessionId!.Value));
        var used = await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<EquipmentService>(s => s.DeleteAsync(admin, item.Id)));

        Assert.Equal(("equipment_in_use", "Core drill is in use. Release it first: someone is using it."), (inUse.Code, inUse.Message));
        Assert.Equal("equipment_used", used.Code);
        Assert.Equal("Core drill has been used, so it cannot be deleted: its history must stay. Retire it instead.", used.Message);
        Assert.Equal(EquipmentStatus.Available, (await RunAsync(s => s.GetAsync(admin, item.Id))).Status);
        Assert.DoesNotContain(await AuditAsync(companyId), a => a.Action is "equipment.retired" or "equipment.deleted");
    }

    [Fact]
    public async Task Staff_read_and_root_change_any_companys_item_and_a_missing_one_is_not_found()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Generator");
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var (_, root) = await app.CreateUserAsync(Roles.Root);

        Assert.Equal(item.Id, (await RunAsync(s => s.GetAsync(support, item.Id))).Id);
        Assert.Equal(EquipmentStatus.OutOfService, (await RunAsync(s => s.MarkOutOfServiceAsync(root, item.Id))).Status);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => RunAsync(s => s.GetAsync(admin, Guid.NewGuid())));
        var missingForRoot = await Assert.ThrowsAsync<NotFoundException>(() => RunAsync(s => s.MarkOutOfServiceAsync(root, Guid.NewGuid())));
        var missingForAdmin = await Assert.ThrowsAsync<NotFoundException>(() => RunAsync(s => s.RetireAsync(admin, Guid.NewGuid())));

        Assert.All(new[] { missing, missingForRoot, missingForAdmin }, e => Assert.Equal("Equipment was not found.", e.Message));
    }

    [Theory]
    [InlineData(EquipmentSort.Name, false, "A-saw,B-drill,C-laser")]
    [InlineData(EquipmentSort.Name, true, "C-laser,B-drill,A-saw")]
    [InlineData(EquipmentSort.InventoryNumber, false, "C-laser,A-saw,B-drill")]
    [InlineData(EquipmentSort.InventoryNumber, true, "B-drill,A-saw,C-laser")]
    [InlineData(EquipmentSort.Category, false, "B-drill,C-laser,A-saw")]
    [InlineData(EquipmentSort.Category, true, "A-saw,C-laser,B-drill")]
    [InlineData(EquipmentSort.Status, false, "A-saw,C-laser,B-drill")]
    [InlineData(EquipmentSort.Status, true, "B-drill,A-saw,C-laser")]
    [InlineData(EquipmentSort.CreatedAt, false, "B-drill,A-saw,C-laser")]
    [InlineData(EquipmentSort.CreatedAt, true, "C-laser,A-saw,B-drill")]
    public async Task The_list_sorts_by_each_column_both_ways(EquipmentSort sort, bool descending, string expected)
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var drill = await CreateAsync(admin, "B-drill", "3", "Drills");
        await CreateAsync(admin, "A-saw", "2", "Saws");
        await CreateAsync(admin, "C-laser", "1", "Measuring");
        await RunAsync(s => s.MarkOutOfServiceAsync(admin, drill.Id));

        var page = await RunAsync(s => s.ListAsync(admin, new EquipmentQuery(Sort: sort, Descending: descending), new PageRequest(1, 10)));

        Assert.Equal(expected, string.Join(',', page.Items.Select(i => i.Name)));
    }

    [Fact]
    public async Task Items_with_the_same_name_keep_their_creation_order_in_lists_labels_and_exports()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var first = await CreateAsync(admin, "Ladder", "L-1");
        var second = await CreateAsync(admin, "Ladder", "L-2");
        await CreateAsync(admin, "Anchor", "A-1");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        Assert.Equal(["A-1", "L-1", "L-2"], (await RunAsync(s => s.ListAsync(admin, new EquipmentQuery(), new PageRequest()))).Items.Select(i => i.InventoryNumber));
        Assert.Equal(["L-1", "L-2", "A-1"], (await RunAsync(s => s.ListAsync(admin, new EquipmentQuery(Descending: true), new PageRequest()))).Items.Select(i => i.InventoryNumber));
        Assert.Equal(["A-1", "L-1", "L-2"], (await RunAsync(s => s.ListFreeAsync(worker, null, null, new PageRequest()))).Items.Select(i => i.InventoryNumber));
        Assert.Equal(["A-1", "L-1", "L-2"], (await RunAsync(s => s.ForLabelsAsync(admin, []))).Select(i => i.InventoryNumber));
        Assert.Equal(["L-1", "L-2"], (await RunAsync(s => s.ForLabelsAsync(admin, [second.Id, first.Id]))).Select(i => i.InventoryNumber));
        Assert.Equal(["A-1"], (await RunAsync(s => s.ForLabelsAsync(admin, [], limit: 1))).Select(i => i.InventoryNumber));
        var export = (await app.RunAsync<EquipmentCsv, string>(s => s.ExportAsync(admin))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["A-1", "L-1", "L-2"], export.Skip(1).Select(l => l.Split(',')[1]));
    }

    [Fact]
    public async Task Labels_leave_out_retired_items_unless_asked_for_and_never_show_another_companys()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var kept = await CreateAsync(admin, "Kept");
        var old = await CreateAsync(admin, "Old");
        await RunAsync(s => s.RetireAsync(admin, old.Id));
        var theirs = await CreateAsync(otherAdmin, "Theirs");

        Assert.Equal([kept.Id], (await RunAsync(s => s.ForLabelsAsync(admin, []))).Select(i => i.Id));
        Assert.Equal([old.Id], (await RunAsync(s => s.ForLabelsAsync(admin, [old.Id, theirs.Id]))).Select(i => i.Id));
    }

    [Fact]
    public async Task Workers_see_the_categories_of_current_items_once_in_order()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        await CreateAsync(admin, "Drill", null, "Power tools");
        await CreateAsync(admin, "Saw", null, "Power tools");
        await CreateAsync(admin, "Laser", null, "Measuring");
        await CreateAsync(admin, "Rope");
        var old = await CreateAsync(admin, "Old level", null, "Levels");
        await RunAsync(s => s.RetireAsync(admin, old.Id));
        await CreateAsync(otherAdmin, "Their crane", null, "Cranes");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        Assert.Equal(["Measuring", "Power tools"], await RunAsync(s => s.CategoriesAsync(worker)));
    }

    [Fact]
    public async Task A_category_filter_longer_than_a_search_box_is_refused_by_name()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => RunAsync(s => s.ListAsync(admin, new EquipmentQuery(Category: new string('c', Text.MaxSearchLength + 1)), new PageRequest())));

        Assert.Equal(["Category must be at most 200 characters."], ex.Errors["Category"]);
    }

    [Fact]
    public async Task An_import_reports_progress_audits_what_it_did_and_ignores_other_companies_numbers()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        await CreateAsync(otherAdmin, "Their drill", "X-1");
        using var events = new Events(app, companyId);
        var csv = new StringBuilder("Name,InventoryNumber\nDrill,X-1\n,NO-NAME\n");
        for (var i = 0; i < 599; i++)
        {
            csv.Append("Item ").Append(i).Append(",I-").Append(i).Append('\n');
        }

        var progress = new List<int>();
        var result = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader(csv.ToString()), new SyncProgress(progress)));

        Assert.Equal((600, true), (result.Imported, result.HasErrors));
        Assert.Equal([83, 100, 100], progress);
        var audit = Assert.Single(await AuditAsync(companyId));
        Assert.Equal(("equipment.imported", "600 items, 1 rows refused", admin.UserId), (audit.Action, audit.Details, audit.ActorId));
        var change = await events.NextAsync();
        Assert.Equal((companyId, (Guid?)null, UsageChangeKind.EquipmentChanged), (change.CompanyId, change.EquipmentId, change.Kind));
    }

    [Fact]
    public async Task An_import_with_nothing_good_writes_nothing_and_an_empty_or_huge_file_is_refused_whole()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var huge = new StringBuilder("Name\n");
        for (var i = 0; i <= EquipmentCsv.MaxRows; i++)
        {
            huge.Append('n').Append(i).Append('\n');
        }

        var bad = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader("Name,Category\n,Tools\n")));
        var blankAndDescribed = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader("Name,InventoryNumber,Category,Description\n,,,\n , , , \n,,,Only a description\n")));
        var noHeader = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader("Drill,D-1\n")));
        var empty = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader(string.Empty)));
        var tooMany = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader(huge.ToString())));

        Assert.Equal((0, 2), (bad.Imported, Assert.Single(bad.Errors).Line));
        Assert.Equal((0, 4), (blankAndDescribed.Imported, Assert.Single(blankAndDescribed.Errors).Line)); // blank lines are skipped, a nameless item is not
        Assert.Equal("The first line must name the columns, with at least a Name column (also InventoryNumber, Category, Description).", Assert.Single(noHeader.Errors).Message);
        Assert.Equal("The file is empty. The first line must name the columns: Name, InventoryNumber, Category, Description.", Assert.Single(empty.Errors).Message);
        Assert.Equal("The file has 10001 rows; at most 10000 can be imported at once.", Assert.Single(tooMany.Errors).Message);
        Assert.Empty(await AuditAsync(companyId));
        Assert.False(new CsvImportResult(0, []).HasErrors);
    }
}
