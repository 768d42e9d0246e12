using Bunit;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Layout;
using Cierto.Web.Components.Pages.Equipment;
using MudBlazor;

namespace Cierto.Tests.Components;

public sealed class EquipmentGridTests(AppFixture app) : PageTestBase(app), IClassFixture<AppFixture>
{
    private async Task<Cierto.Domain.Accounts.Actor> AdminWithItemsAsync()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        var drill = await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Hilti drill", "HD-1", "Power tools", null)));
        await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Leica laser", "LS-1", "Measuring", null)));
        await App.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Zarges ladder", "LD-1", "Access", null)));
        var (_, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        await App.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, drill.ActivationCode));
        return admin;
    }

    private IRenderedComponent<EquipmentList> RenderGrid()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        Render<NotificationArea>();
        return RenderInteractive<EquipmentList>();
    }

    private static List<string> Names(IRenderedComponent<EquipmentList> page) =>
        page.FindAll("tbody tr td a").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public async Task The_grid_pages_from_the_server_with_holder_and_code()
    {
        SignIn(await AdminWithItemsAsync(), "Admin");
        var page = RenderGrid();

        page.WaitForAssertion(() => Assert.Equal(["Hilti drill", "Leica laser", "Zarges ladder"], Names(page)));
        Assert.Contains("In use", page.Find("tbody tr").TextContent, StringComparison.Ordinal);
        Assert.Contains("1-3 of 3", page.Markup, StringComparison.Ordinal);
        Assert.Equal(3, page.FindAll("tbody td code").Count);
    }

    [Fact]
    public async Task A_list_longer_than_the_counted_bound_says_how_many_rows_it_knows_of()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        await App.SeedItemsAsync(companyId, Cierto.Domain.Common.PagingQueries.CountedRows + 5);
        SignIn(admin, "Admin");
        var page = RenderGrid();

        page.WaitForAssertion(() => Assert.Equal(50, Names(page).Count));
        Assert.Contains("1-50 of 10,000+", System.Text.RegularExpressions.Regex.Replace(page.Find(".mud-table-pagination").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal("Item 000001", Names(page)[0]);
    }

    /// <summary>A CSV file through the page's upload: good rows land in the grid, each refused row is reported with its line and reason.</summary>
    [Fact]
    public async Task Importing_a_csv_file_through_the_page_adds_the_good_rows_and_reports_each_refused_one()
    {
        SignIn(await AdminWithItemsAsync(), "Admin");
        var page = RenderGrid();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        var csv = string.Join('\n',
            "Name,InventoryNumber,Category,Description",
            "Makita saw,MK-1,Saws,",
            $"{new string('x', 201)},TOO-LONG,,",
            "Second drill,HD-1,Power tools,",
            "Bosch grinder,BG-1,Power tools,");

        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "items.csv", contentType: "text/csv"));

        page.WaitForAssertion(() => Assert.Contains("2 items were imported.", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var report = page.Find("[data-testid=import-errors]").TextContent;
        Assert.Contains("2 rows were not:", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Line 3:", report, StringComparison.Ordinal);
        Assert.Contains("at most 200 characters", report, StringComparison.Ordinal);
        Assert.Contains("Line 4:", report, StringComparison.Ordinal);
        Assert.Contains("HD-1", report, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(["Bosch grinder", "Hilti drill", "Leica laser", "Makita saw", "Zarges ladder"], Names(page)), TimeSpan.FromSeconds(10));
    }

    /// <summary>A file of several import batches: the page shows the progress as each batch is saved, never going back.</summary>
    [Fact]
    public async Task A_large_import_shows_its_progress_batch_by_batch_and_then_the_result()
    {
        var (_, _, admin) = await App.CreateCompanyAsync();
        SignIn(admin, "Admin");
        var page = RenderGrid();
        page.WaitForState(() => page.Markup.Contains("No equipment", StringComparison.Ordinal) || page.FindAll("tbody tr").Count > 0);
        var shown = new List<int>();
        page.OnMarkupUpdated += (_, _) =>
        {
            if (System.Text.RegularExpressions.Regex.Match(page.Markup, @"Importing… (\d+) %") is { Success: true } match)
            {
                shown.Add(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        var csv = string.Join('\n', Enumerable.Range(1, 1_500).Select(i => $"Scaffold clamp {i:D4},SC-{i:D4},Access,").Prepend("Name,InventoryNumber,Category,Description"));

        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "clamps.csv", contentType: "text/csv"));

        page.WaitForAssertion(() => Assert.Contains("1500 items were imported.", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Importing…", page.Markup, StringComparison.Ordinal);
        Assert.Equal(0, shown[0]);
        Assert.Contains(shown, p => p is > 0 and < 100);
        Assert.Equal(shown.Order(), shown);
    }

    [Fact]
    public async Task Filtering_by_in_use_and_searching_narrow_the_grid()
    {
        SignIn(await AdminWithItemsAsync(), "Admin");
        var page = RenderGrid();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        page.FindAll(".mud-toggle-item").Single(b => b.TextContent.Contains("In use", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Equal(["Hilti drill"], Names(page)));

        page.FindAll(".mud-toggle-item").Single(b => b.TextContent.Contains("Free", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Equal(["Leica laser", "Zarges ladder"], Names(page)));
    }

    [Fact]
    public async Task Selecting_rows_enables_printing_their_labels()
    {
        SignIn(await AdminWithItemsAsync(), "Admin");
        var page = RenderGrid();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        var print = () => page.FindAll("button").Single(b => b.TextContent.Contains("Print labels", StringComparison.Ordinal));
        Assert.True(print().HasAttribute("disabled"));

        page.FindAll("tbody tr input[type=checkbox]")[1].Change(true);

        page.WaitForAssertion(() => Assert.Contains("(1)", print().TextContent, StringComparison.Ordinal));
        Assert.False(print().HasAttribute("disabled"));
    }

    [Fact]
    public async Task An_admin_demoted_while_the_add_dialog_is_open_adds_nothing()
    {
        var (companyId, _, founder) = await App.CreateCompanyAsync();
        var (second, secondAdmin) = await App.CreateUserAsync(Roles.CompanyAdmin, companyId);
        SignIn(secondAdmin, "Second admin");
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        Render<NotificationArea>();
        var page = RenderInteractive<EquipmentList>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=progressbar]"))); // the page has loaded its lists
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Add item").Click());
        dialogs.WaitForElement("#equipment-form");

        await App.RunAsync<WorkerService>(s => s.DemoteAsync(founder, second.Id));
        dialogs.Find("#equipment-form input").Change("Sneaky saw");
        dialogs.Find("#equipment-form").Submit();

        dialogs.WaitForAssertion(() => Assert.Contains("Your account has changed", dialogs.Markup, StringComparison.Ordinal));
        await using var db = App.Db();
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Equipment, e => e.Name == "Sneaky saw"));
    }
}
