using Cierto.Domain.Equipment;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

public sealed class StockTakeJourneyTests(BrowserHost host) : BrowserTest(host)
{
    /// <summary>
    /// An admin walks the yard with a phone: starts a stock-take of the yard, counts items by code,
    /// while a second admin's page at a desk follows the count live; finishes, reads the report,
    /// and puts the missing item out of service in one step.
    /// </summary>
    [Fact]
    public async Task An_admin_counts_the_yard_on_a_phone_and_puts_the_missing_item_out_of_service() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        var (secondEmail, _, _) = await UserAsync(Cierto.Domain.Users.Roles.CompanyAdmin, companyId);
        var found = await Host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Wacker rammer", "WR-1", "Compaction", null, "Yard")));
        var alsoFound = await Host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Honda generator", "HG-2", "Power", null, "Yard")));
        await Host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Laser level", "LL-3", "Measuring", null, "Yard")));
        await Host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Van ladder", "VL-4", "Access", null, "Van 3")));

        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, adminEmail, AppFixture.Password);
        await GotoAsync(phone, "stock-takes");
        await ExpectAccessibleAsync(phone);
        await phone.GetByRole(AriaRole.Combobox, new() { Name = "Location" }).ClickAsync();
        await phone.GetByRole(AriaRole.Option, new() { Name = "Yard" }).ClickAsync();
        await phone.GetByTestId("start-stock-take").ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Stock-take: Yard" })).ToBeVisibleAsync();
        await WaitInteractiveAsync(phone);
        await Expect(phone.GetByTestId("missing-count")).ToHaveTextAsync("3");

        var desk = await OpenAsync();
        await SignInAsync(desk, secondEmail, AppFixture.Password);
        await GotoAsync(desk, phone.Url.Replace(Host.BaseUrl.ToString(), string.Empty, StringComparison.Ordinal));
        await Expect(desk.GetByTestId("found-count")).ToHaveTextAsync("0");

        await phone.Locator("#stock-take-code").FillAsync(found.ActivationCode.ToLowerInvariant());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Count", Exact = true }).ClickAsync();
        await Expect(phone.GetByTestId("scan-result")).ToHaveTextAsync("Wacker rammer counted.");
        await phone.Locator("#stock-take-code").FillAsync(alsoFound.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Count", Exact = true }).ClickAsync();
        await Expect(phone.GetByTestId("found-count")).ToHaveTextAsync("2");
        await phone.Locator("#stock-take-code").FillAsync(found.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Count", Exact = true }).ClickAsync();
        await Expect(phone.GetByTestId("scan-result")).ToHaveTextAsync("Wacker rammer was already counted.");
        await ExpectAccessibleAsync(phone);

        // The other admin's page counted along without a reload.
        await Expect(desk.GetByTestId("found-count")).ToHaveTextAsync("2");
        await Expect(desk.GetByTestId("latest-scans")).ToContainTextAsync("Honda generator");

        await phone.GetByTestId("finish-stock-take").ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Finish", Exact = true }).ClickAsync();
        await Expect(phone.GetByTestId("report-Missing")).ToContainTextAsync("Laser level");
        await Expect(phone.GetByTestId("report-Found")).ToContainTextAsync("Wacker rammer");
        await Expect(phone.GetByTestId("report-Missing")).Not.ToContainTextAsync("Van ladder");
        await ExpectAccessibleAsync(phone);

        await phone.GetByTestId("mark-missing").ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Out of service", Exact = true }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 item is out of service now." })).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("mark-missing")).ToHaveCountAsync(0);
        await Expect(phone.GetByTestId("missing-marked")).ToBeVisibleAsync();

        var csv = await phone.APIRequest.GetAsync(phone.Url + "/report.csv");
        Assert.Equal(200, csv.Status);
        Assert.Contains("Laser level,LL-3,Yard,Missing", await csv.TextAsync(), StringComparison.Ordinal);
    });
}
