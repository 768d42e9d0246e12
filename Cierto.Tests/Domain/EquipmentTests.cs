using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

public sealed class EquipmentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<EquipmentRow> CreateAsync(Actor admin, string name, string? inventory = null, string? category = null) =>
        app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, inventory, category, null)));

    private Task<Paged<EquipmentRow>> ListAsync(Actor admin, EquipmentQuery query) =>
        app.RunAsync<EquipmentService, Paged<EquipmentRow>>(s => s.ListAsync(admin, query, new PageRequest(1, 50)));

    [Fact]
    public async Task The_list_filters_by_status_and_searches_name_inventory_and_category()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var drill = await CreateAsync(admin, "Hilti drill", "HD-1", "Power tools");
        var laser = await CreateAsync(admin, "Leica laser", "LS-1", "Measuring");
        var ladder = await CreateAsync(admin, "Zarges ladder", "LD-1", "Access");
        var old = await CreateAsync(admin, "Old saw", "OS-1", "Power tools");
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MarkOutOfServiceAsync(admin, ladder.Id));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(admin, old.Id));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, drill.ActivationCode));

        Assert.Equal(["Hilti drill", "Leica laser", "Zarges ladder"], (await ListAsync(admin, new EquipmentQuery())).Items.Select(i => i.Name));
        Assert.Equal(["Leica laser"], (await ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.Free))).Items.Select(i => i.Name));
        var inUse = Assert.Single((await ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.InUse))).Items);
        Assert.Equal(drill.Id, inUse.Id);
        Assert.NotNull(inUse.HolderName);
        Assert.Equal(["Zarges ladder"], (await ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.OutOfService))).Items.Select(i => i.Name));
        Assert.Equal(["Old saw"], (await ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.Retired))).Items.Select(i => i.Name));
        Assert.Equal(["Leica laser"], (await ListAsync(admin, new EquipmentQuery("ls-1"))).Items.Select(i => i.Name));
        Assert.Equal(["Hilti drill"], (await ListAsync(admin, new EquipmentQuery("POWER"))).Items.Select(i => i.Name));
        Assert.Equal(["Zarges ladder", "Leica laser", "Hilti drill"], (await ListAsync(admin, new EquipmentQuery(Sort: EquipmentSort.Name, Descending: true))).Items.Select(i => i.Name));
        Assert.Equal(laser.Id, (await ListAsync(admin, new EquipmentQuery(Sort: EquipmentSort.InventoryNumber, Descending: true))).Items[0].Id);
    }

    [Fact]
    public async Task In_use_counts_only_the_companys_held_items_alone_and_with_a_search()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (otherCompanyId, _, otherAdmin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, otherWorker) = await app.CreateUserAsync(Roles.Worker, otherCompanyId);
        foreach (var name in new[] { "Drill A", "Drill B", "Saw C" })
        {
            var item = await CreateAsync(admin, name);
            await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
        }

        await CreateAsync(admin, "Drill free");
        foreach (var name in new[] { "Drill X", "Drill Y" })
        {
            var item = await CreateAsync(otherAdmin, name);
            await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(otherWorker, item.ActivationCode));
        }

        // Pages of two: rows follow the first page, so the total is counted.
        Task<Paged<EquipmentRow>> PageAsync(string? search, int number) =>
            app.RunAsync<EquipmentService, Paged<EquipmentRow>>(s => s.ListAsync(admin, new EquipmentQuery(search, Filter: EquipmentFilter.InUse), new PageRequest(number, 2)));
        var first = await PageAsync(null, 1);
        Assert.Equal((3, true), (first.Total, first.TotalIsExact));
        Assert.Equal(["Drill A", "Drill B"], first.Items.Select(i => i.Name));
        Assert.Equal(["Saw C"], (await PageAsync(null, 2)).Items.Select(i => i.Name));
        var drills = await PageAsync("drill", 1);
        Assert.Equal(2, drills.Total);
        Assert.Equal(["Drill A", "Drill B"], drills.Items.Select(i => i.Name));
        var pastTheEnd = await PageAsync("drill", 2);
        Assert.Equal((2, 0), (pastTheEnd.Total, pastTheEnd.Items.Count));
    }

    [Fact]
    public async Task Search_takes_percent_and_underscore_as_typed_and_status_sorts_by_name_within_a_status()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        await CreateAsync(admin, "Saw 50% worn", "S_1", null);
        await CreateAsync(admin, "Saw 500", "S11", null);
        var broken = await CreateAsync(admin, "Anvil", "A-1", "Смазка");
        await CreateAsync(admin, "Bench", "B-1", null);
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MarkOutOfServiceAsync(admin, broken.Id));

        Assert.Equal(["Saw 50% worn"], (await ListAsync(admin, new EquipmentQuery("50%"))).Items.Select(i => i.Name));
        Assert.Equal(["Saw 50% worn"], (await ListAsync(admin, new EquipmentQuery("s_1"))).Items.Select(i => i.Name));
        Assert.Equal(["Anvil"], (await ListAsync(admin, new EquipmentQuery("СМАЗ"))).Items.Select(i => i.Name));
        Assert.Equal(["Bench", "Saw 50% worn", "Saw 500", "Anvil"], (await ListAsync(admin, new EquipmentQuery(Sort: EquipmentSort.Status))).Items.Select(i => i.Name));
    }

    [Fact]
    public async Task Inventory_numbers_are_unique_within_a_company_only()
    {
        var (_, _, adminA) = await app.CreateCompanyAsync();
        var (_, _, adminB) = await app.CreateCompanyAsync();
        await CreateAsync(adminA, "Drill", "INV-1");

        var ex = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(adminA, "Other drill", "INV-1"));
        Assert.Contains("InventoryNumber", ex.Errors.Keys);
        await CreateAsync(adminB, "Their drill", "INV-1");
    }

    [Fact]
    public async Task An_edit_based_on_a_stale_version_is_refused()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Drill");
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.UpdateAsync(admin, item.Id, new EquipmentInput("Drill v2", null, null, null), item.Version));

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            app.RunAsync<EquipmentService, EquipmentRow>(s => s.UpdateAsync(admin, item.Id, new EquipmentInput("Drill v3", null, null, null), item.Version)));

        Assert.Equal("concurrency", ex.Code);
        Assert.Equal("Drill v2", (await app.RunAsync<EquipmentService, EquipmentRow>(s => s.GetAsync(admin, item.Id))).Name);
    }

    [Fact]
    public async Task Items_in_use_cannot_be_retired_or_put_out_of_service_and_used_items_cannot_be_deleted()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Drill");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).SessionId!.Value;

        Assert.Equal("equipment_in_use", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(admin, item.Id)))).Code);
        Assert.Equal("equipment_in_use", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.MarkOutOfServiceAsync(admin, item.Id)))).Code);

        await app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(worker, session));
        Assert.Equal("equipment_used", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<EquipmentService>(s => s.DeleteAsync(admin, item.Id)))).Code);
        Assert.Equal(EquipmentStatus.Retired, (await app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(admin, item.Id))).Status);
    }

    [Fact]
    public async Task A_never_used_item_can_be_deleted()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Spare ladder");

        await app.RunAsync<EquipmentService>(s => s.DeleteAsync(admin, item.Id));

        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.GetAsync(admin, item.Id)));
    }

    [Fact]
    public async Task A_new_code_replaces_the_old_one()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Drill");
        var renewed = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.RegenerateActivationCodeAsync(admin, item.Id));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        Assert.NotEqual(item.ActivationCode, renewed.ActivationCode);
        Assert.Equal(ActivationStatus.InvalidCode, (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).Status);
        Assert.True((await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, renewed.ActivationCode))).Succeeded);
    }

    [Fact]
    public async Task Other_companies_and_other_roles_cannot_touch_an_item()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "Drill");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, support) = await app.CreateUserAsync(Roles.Support);

        var foreign = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(otherAdmin, item.Id)));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(otherAdmin, Guid.NewGuid())));
        Assert.Equal(missing.Message, foreign.Message);
        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(worker, item.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s => s.RetireAsync(support, item.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(support, "Support's drill"));
        Assert.Single((await app.RunAsync<EquipmentService, Paged<EquipmentRow>>(s => s.ListAsync(support, new EquipmentQuery(), new PageRequest(), companyId))).Items);
    }

    [Fact]
    public async Task Workers_list_only_free_items_and_the_rows_carry_no_activation_code()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var free = await CreateAsync(admin, "Free drill", category: "Power tools");
        var held = await CreateAsync(admin, "Held drill");
        var broken = await CreateAsync(admin, "Broken drill");
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.MarkOutOfServiceAsync(admin, broken.Id));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, held.ActivationCode));

        var page = await app.RunAsync<EquipmentService, Paged<FreeEquipmentRow>>(s => s.ListFreeAsync(worker, null, null, new PageRequest()));

        Assert.Equal([free.Id], page.Items.Select(i => i.Id));
        Assert.DoesNotContain(typeof(FreeEquipmentRow).GetProperties(), p => p.Name.Contains("Code", StringComparison.OrdinalIgnoreCase));
        Assert.Empty((await app.RunAsync<EquipmentService, Paged<FreeEquipmentRow>>(s => s.ListFreeAsync(worker, null, "Measuring", new PageRequest()))).Items);
        await Assert.ThrowsAsync<ForbiddenException>(() => ListAsync(worker, new EquipmentQuery()));
    }

    [Fact]
    public async Task Csv_import_lands_the_good_rows_and_reports_the_bad_ones_by_line()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        await CreateAsync(admin, "Existing", "EX-1");
        const string csv = """
            Name,InventoryNumber,Category,Description
            Hilti drill,HD-1,Power tools,"Red case, with bits"
            ,NO-NAME,Power tools,
            Laser,EX-1,Measuring,
            "Multi
            line name",ML-1,,
            Ladder,HD-1,Access,
            Saw,SW-1,Power tools,
            """;
        var progress = new List<int>();

        var result = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader(csv), new SyncProgress(progress)));

        Assert.Equal(2, result.Imported);
        Assert.Equal([3, 4, 5, 7], result.Errors.Select(e => e.Line));
        Assert.Contains("Name is required", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("EX-1", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("not allowed", result.Errors[2].Message, StringComparison.Ordinal); // a line break is no part of a name
        Assert.Equal(100, progress[^1]);
        var names = (await ListAsync(admin, new EquipmentQuery())).Items.Select(i => i.Name).ToList();
        Assert.Equal(["Existing", "Hilti drill", "Saw"], names);
        Assert.Equal("Red case, with bits", (await ListAsync(admin, new EquipmentQuery("HD-1"))).Items.Single().Description);
    }

    [Fact]
    public async Task Csv_rows_whose_quotes_do_not_pair_up_are_reported_and_the_rest_imported()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        const string csv = "Inventory number,NAME\nQ-0,\nQ-1,Good drill\nQ-2,Bad \"quote\" drill\nQ-3,Good saw\n";

        var result = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader(csv)));

        Assert.Equal(2, result.Imported);
        Assert.Equal([2, 4], result.Errors.Select(e => e.Line)); // in line order, whichever check found them
        Assert.Contains("Name is required", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("quotes on this line do not pair up", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal(["Good drill", "Good saw"], (await ListAsync(admin, new EquipmentQuery())).Items.Select(i => i.Name));
        Assert.Equal("Q-3", (await ListAsync(admin, new EquipmentQuery("Good saw"))).Items.Single().InventoryNumber);
    }

    [Fact]
    public async Task Csv_import_without_a_name_column_changes_nothing()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();

        var result = await app.RunAsync<EquipmentCsv, CsvImportResult>(s => s.ImportAsync(admin, new StringReader("Title,Number\nDrill,1\n")));

        Assert.Equal(0, result.Imported);
        Assert.Equal(1, Assert.Single(result.Errors).Line);
        Assert.Equal(0, (await ListAsync(admin, new EquipmentQuery())).Total);
    }

    [Fact]
    public async Task Csv_export_has_every_item_with_its_code_and_defuses_formulas()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var item = await CreateAsync(admin, "=HYPERLINK(\"x\")", "A,1", "Tools");

        var csv = await app.RunAsync<EquipmentCsv, string>(s => s.ExportAsync(admin));

        var lines = csv.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Name,InventoryNumber,Category,Description,Location,Status,ActivationCode", lines[0]);
        Assert.Equal($"\"'=HYPERLINK(\"\"x\"\")\",\"A,1\",Tools,,,Available,{item.ActivationCode}", lines[1]);
    }

    [Fact]
    public async Task Overlong_input_is_refused_field_by_field_and_nothing_is_saved()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<EquipmentService, EquipmentRow>(s =>
            s.CreateAsync(admin, new EquipmentInput(new string('n', 201), new string('i', 65), new string('c', 101), new string('d', 2001)))));

        Assert.Equal(["Category", "Description", "InventoryNumber", "Name"], ex.Errors.Keys.Order());
        Assert.Equal(0, (await ListAsync(admin, new EquipmentQuery(Filter: EquipmentFilter.All))).Total);
    }

    [Fact]
    public async Task A_page_of_the_grid_costs_two_queries_whatever_its_size()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        for (var i = 0; i < 30; i++)
        {
            var item = await CreateAsync(admin, $"Item {i:00}");
            if (i % 3 == 0)
            {
                var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
                await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
            }
        }

        var recorder = new CommandCounter();
        var options = new DbContextOptionsBuilder<Cierto.Domain.Adapters.Postgres.PostgresCiertoDbContext>().UseNpgsql(app.Database.ConnectionString).AddInterceptors(recorder).Options;
        await using var db = new Cierto.Domain.Adapters.Postgres.PostgresCiertoDbContext(options);

        var page = await new EquipmentService(db, new Cierto.Domain.Live.InProcessEventBus(), new EquipmentInputValidator(), TimeProvider.System).ListAsync(admin, new EquipmentQuery(), new PageRequest(1, 25));

        Assert.Equal(25, page.Items.Count);
        Assert.Equal(9, page.Items.Count(i => i.InUse)); // items 00, 03, ... 24 of the first 25
        Assert.All(page.Items.Where(i => i.InUse), i => Assert.False(string.IsNullOrEmpty(i.HolderName)));
        Assert.Equal(2, recorder.Count); // the total, and the page with its holders
    }

    private sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public int Count { get; private set; }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            Count++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
