using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>The company service on PostgreSQL: what a company's details count, how staff list companies, and the audit line of every settings change.</summary>
public sealed class CompanySettingsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<List<(string Action, string? Details)>> AuditAsync(Guid companyId)
    {
        await using var db = app.Db();
        return (await db.AuditEntries.AsNoTracking().Where(a => a.CompanyId == companyId && a.Action.StartsWith("company.") && a.Action != "company.created").OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.Details }).ToListAsync()).Select(a => (a.Action, a.Details)).ToList();
    }

    [Fact]
    public async Task Details_count_the_companys_own_admins_active_and_pending_workers_and_items()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        await app.CreateUserAsync(Roles.Worker, companyId);
        await app.CreateUserAsync(Roles.Worker, companyId);
        await app.CreateUserAsync(Roles.Worker, companyId, UserStatus.Pending);
        await app.CreateUserAsync(Roles.Worker, companyId, UserStatus.Disabled);
        for (var i = 0; i < 3; i++)
        {
            await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput($"Item {i}", null, null, null)));
        }

        // Another company's people and items are not counted.
        var (otherId, _, otherAdmin) = await app.CreateCompanyAsync();
        await app.CreateUserAsync(Roles.Worker, otherId);
        await app.CreateUserAsync(Roles.Worker, otherId, UserStatus.Pending);
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(otherAdmin, new EquipmentInput("Foreign", null, null, null)));

        var details = await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin));

        // Admins: the founding admin (active) and the second; active counts every active member (admins too).
        Assert.Equal((2, 4, 1, 3), (details.Admins, details.ActiveWorkers, details.PendingWorkers, details.EquipmentItems));
        var theirs = await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(otherAdmin));
        Assert.Equal((1, 2, 1, 1), (theirs.Admins, theirs.ActiveWorkers, theirs.PendingWorkers, theirs.EquipmentItems));
    }

    [Fact]
    public async Task Staff_find_companies_by_name_or_number_in_name_order_a_page_at_a_time()
    {
        var (_, root) = await app.CreateUserAsync(Roles.Root);
        var tag = AppFixture.Unique("Z")[..8].ToUpperInvariant();
        foreach (var (name, number) in new[] { ($"{tag} Cranes", $"{tag}-3"), ($"{tag} Anchors", $"{tag}-1"), ($"{tag} Beams", $"{tag}-2") })
        {
            await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(root, new CreateCompanyRequest(name, number, AppFixture.Email("admin"), "Admin")));
        }

        var byName = await app.RunAsync<CompanyService, Paged<CompanyRow>>(s => s.ListAsync(root, new PageRequest(1, 2), $"{tag} b"));
        var byNumber = await app.RunAsync<CompanyService, Paged<CompanyRow>>(s => s.ListAsync(root, new PageRequest(1, 10), $"{tag.ToLowerInvariant()}-3"));
        var first = await app.RunAsync<CompanyService, Paged<CompanyRow>>(s => s.ListAsync(root, new PageRequest(1, 2), tag));
        var second = await app.RunAsync<CompanyService, Paged<CompanyRow>>(s => s.ListAsync(root, new PageRequest(2, 2), tag));

        Assert.Equal([$"{tag} Beams"], byName.Items.Select(c => c.Name));
        Assert.Equal([$"{tag} Cranes"], byNumber.Items.Select(c => c.Name));
        Assert.Equal([$"{tag} Anchors", $"{tag} Beams"], first.Items.Select(c => c.Name));
        Assert.Equal((3, 3), (first.Total, second.Total));
        Assert.Equal([$"{tag} Cranes"], second.Items.Select(c => c.Name));
        Assert.All(first.Items, c => Assert.Equal(1, c.Members));
    }

    [Fact]
    public async Task Every_settings_change_is_audited_with_what_it_set()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, root) = await app.CreateUserAsync(Roles.Root);

        await app.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(admin, JoinPolicy.AutoApprove));
        var code = await app.RunAsync<CompanyService, string>(s => s.RotateJoinCodeAsync(admin));
        await app.RunAsync<CompanyService>(s => s.SetActiveItemCapAsync(admin, 3));
        await app.RunAsync<CompanyService>(s => s.SetActiveItemCapAsync(admin, null));
        await app.RunAsync<CompanyService>(s => s.SetTimeZoneAsync(admin, "Europe/Berlin"));
        await app.RunAsync<CompanyService>(s => s.SuspendAsync(root, companyId));
        await app.RunAsync<CompanyService>(s => s.SuspendAsync(root, companyId));
        await app.RunAsync<CompanyService>(s => s.ReactivateAsync(root, companyId));
        await app.RunAsync<CompanyService>(s => s.ReactivateAsync(root, companyId));

        Assert.Equal(
            [
                ("company.join-policy-changed", "AutoApprove"),
                ("company.join-code-rotated", null),
                ("company.item-cap-changed", "3"),
                ("company.item-cap-changed", "none"),
                ("company.time-zone-changed", "Europe/Berlin"),
                ("company.suspended", null),
                ("company.reactivated", null),
            ],
            await AuditAsync(companyId));
        var details = await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin));
        Assert.Equal((JoinPolicy.AutoApprove, code, (int?)null, "Europe/Berlin", CompanyStatus.Active), (details.JoinPolicy, details.JoinCode, details.MaxActiveItemsPerWorker, details.TimeZone, details.Status));
    }

    [Fact]
    public async Task Settings_of_another_company_answer_like_a_missing_one()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var (otherId, _, _) = await app.CreateCompanyAsync();
        var (_, root) = await app.CreateUserAsync(Roles.Root);

        Assert.Equal("Company was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<CompanyService, string>(s => s.RotateJoinCodeAsync(admin, otherId)))).Message);
        Assert.Equal("Company was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<CompanyService>(s => s.SuspendAsync(root, Guid.NewGuid())))).Message);
        Assert.Equal("Company was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(root, JoinPolicy.AutoApprove, Guid.NewGuid())))).Message);
        Assert.Equal("Company was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(root, Guid.NewGuid())))).Message);
        Assert.Empty(await AuditAsync(otherId));
    }

    [Fact]
    public async Task Rotating_the_join_code_stores_a_new_one_and_the_old_one_stops_finding_the_company()
    {
        var (companyId, oldCode, admin) = await app.CreateCompanyAsync();
        var name = (await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin))).Name;

        var newCode = await app.RunAsync<CompanyService, string>(s => s.RotateJoinCodeAsync(admin));

        Assert.NotEqual(oldCode, newCode);
        Assert.Equal(newCode, (await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin))).JoinCode);
        Assert.Null(await app.RunAsync<CompanyService, string?>(s => s.FindNameByJoinCodeAsync(oldCode)));
        Assert.Equal(name, await app.RunAsync<CompanyService, string?>(s => s.FindNameByJoinCodeAsync(newCode.ToLowerInvariant())));
        Assert.Equal([("company.join-code-rotated", (string?)null)], await AuditAsync(companyId));
    }
}
