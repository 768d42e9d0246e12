using System.Net;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>The worker's pages, as the server renders them for a signed-in worker.</summary>
public sealed class WorkerPagesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Worker_pages_never_show_an_activation_code()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var items = new List<EquipmentRow>();
        foreach (var name in new[] { "Hilti drill", "Leica laser", "Zarges ladder" })
        {
            items.Add(await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, null, "Tools", null))));
        }

        var (workerUser, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, items[0].ActivationCode));
        var client = await app.App.SignInAsync(workerUser.Email!);

        foreach (var path in new[] { "/free-equipment", "/my-equipment", "/history", "/activate" })
        {
            var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            foreach (var item in items)
            {
                Assert.DoesNotContain(item.ActivationCode, html, StringComparison.Ordinal);
                Assert.DoesNotContain(Cierto.Domain.Common.Codes.Format(item.ActivationCode), html, StringComparison.Ordinal);
            }
        }

        var free = await client.GetStringAsync(new Uri("/free-equipment", UriKind.Relative));
        Assert.Contains("Leica laser", free, StringComparison.Ordinal);
        Assert.DoesNotContain("Hilti drill", free, StringComparison.Ordinal);
        var mine = await client.GetStringAsync(new Uri("/my-equipment", UriKind.Relative));
        Assert.Contains("Hilti drill", mine, StringComparison.Ordinal);
        Assert.Contains("Deactivate Hilti drill", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_qr_link_fills_in_the_activation_code()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (workerUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = await app.App.SignInAsync(workerUser.Email!);

        var html = await client.GetStringAsync(new Uri("/activate?code=ABCD234", UriKind.Relative));

        Assert.Contains("value=\"ABCD234\"", html, StringComparison.Ordinal);
        Assert.Contains("Activation code", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_exports_csv_and_a_worker_cannot()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Exported drill", "EXP-1", null, null)));
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, _) = await app.CreateUserAsync(Roles.Worker, companyId);

        var csv = await (await app.App.SignInAsync(adminUser.Email!)).GetStringAsync(new Uri("/equipment/export.csv", UriKind.Relative));
        Assert.Contains($"Exported drill,EXP-1,,,,Available,{item.ActivationCode}", csv, StringComparison.Ordinal);

        var denied = await (await app.App.SignInAsync(workerUser.Email!)).GetAsync(new Uri("/equipment/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location?.PathAndQuery ?? denied.Headers.Location?.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Support_reads_the_audit_page_and_exports_it_filtered_and_an_admin_cannot()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Audit-exported drill", "AUD-1", null, null)));
        var (supportUser, _) = await app.CreateUserAsync(Roles.Support);
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var support = await app.App.SignInAsync(supportUser.Email!);

        var page = await support.GetAsync(new Uri("/root/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Audit log", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var csv = await support.GetStringAsync(new Uri($"/root/audit/export.csv?company={companyId}&action=equipment.created", UriKind.Relative));
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("TimeUtc,UserId,UserName,UserEmail,CompanyId,Company,Action,TargetType,TargetId,Details", lines[0]);
        Assert.Contains(lines, l => l.Contains(",equipment.created,Equipment,", StringComparison.Ordinal) && l.EndsWith(",Audit-exported drill", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains($",{companyId},", l, StringComparison.Ordinal));

        var denied = await (await app.App.SignInAsync(adminUser.Email!)).GetAsync(new Uri("/root/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var deniedCsv = await (await app.App.SignInAsync(adminUser.Email!)).GetAsync(new Uri($"/root/audit/export.csv?company={companyId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, deniedCsv.StatusCode); // the route's policy (Staff) refuses, like the page's
        Assert.StartsWith("/Account/AccessDenied", deniedCsv.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
