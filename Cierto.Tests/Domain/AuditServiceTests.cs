using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>Root's and Support's audit log: every company's entries, filtered; nobody else reads it and nothing changes it.</summary>
public sealed class AuditServiceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<Paged<AuditRow>> ListAsync(Actor actor, AuditQuery query) =>
        app.RunAsync<AuditService, Paged<AuditRow>>(s => s.ListAsync(actor, query, new PageRequest(1, 200)));

    [Fact]
    public async Task Staff_filter_by_company_user_action_and_date_and_read_names_not_ids()
    {
        var (companyA, _, adminA) = await app.CreateCompanyAsync();
        var (companyB, _, adminB) = await app.CreateCompanyAsync();
        var (workerUser, worker) = await app.CreateUserAsync(Roles.Worker, companyA);
        var drill = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(adminA, new EquipmentInput("Audited drill", null, null, null)));
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(adminB, new EquipmentInput("Other drill", null, null, null)));
        await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, drill.ActivationCode));
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var inA = await ListAsync(support, new AuditQuery(CompanyId: companyA));
        Assert.NotEmpty(inA.Items);
        Assert.All(inA.Items, r => Assert.Equal(companyA, r.CompanyId));
        Assert.Contains(inA.Items, r => r.Action == "equipment.created");
        Assert.Equal(inA.Items.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Select(r => r.Id), inA.Items.Select(r => r.Id));

        var activation = Assert.Single((await ListAsync(support, new AuditQuery(User: workerUser.Email![..12].ToUpperInvariant(), Action: "usage.activated"))).Items);
        Assert.Equal((workerUser.DisplayName, workerUser.Email, companyA, drill.Id.ToString()), (activation.ActorName, activation.ActorEmail, activation.CompanyId, activation.TargetId));
        Assert.NotNull(activation.CompanyName);

        Assert.Contains((await ListAsync(support, new AuditQuery(CompanyId: companyB, From: today, To: today))).Items, r => r.Action == "equipment.created");
        Assert.Empty((await ListAsync(support, new AuditQuery(CompanyId: companyB, From: today.AddDays(1)))).Items);
        Assert.Empty((await ListAsync(support, new AuditQuery(CompanyId: companyB, To: today.AddDays(-1)))).Items);
        Assert.Contains("usage.activated", await app.RunAsync<AuditService, IReadOnlyList<string>>(s => s.ActionsAsync(support)));

        var exported = await app.RunAsync<AuditService, IReadOnlyList<AuditRow>>(s => s.ExportAsync(support, new AuditQuery(CompanyId: companyA, Action: "usage.activated")));
        Assert.Equal(activation.Id, Assert.Single(exported).Id);
    }

    [Fact]
    public async Task Company_admins_and_workers_cannot_read_it()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        await Assert.ThrowsAsync<ForbiddenException>(() => ListAsync(admin, new AuditQuery(CompanyId: companyId)));
        await Assert.ThrowsAsync<ForbiddenException>(() => ListAsync(worker, new AuditQuery()));
        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<AuditService, IReadOnlyList<AuditRow>>(s => s.ExportAsync(admin, new AuditQuery(CompanyId: companyId))));
    }

    [Fact]
    public async Task An_entry_cannot_be_changed_or_deleted_through_the_app()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Kept drill", null, null, null)));

        await using (var db = app.Db())
        {
            var entry = await db.AuditEntries.FirstAsync(a => a.CompanyId == companyId);
            db.Entry(entry).Property(a => a.Details).CurrentValue = "rewritten";
            Assert.Equal("Audit entries are never changed or deleted.", (await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync())).Message);
        }

        await using (var db = app.Db())
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(a => a.CompanyId == companyId));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        await using (var db = app.Db())
        {
            Assert.Equal("Kept drill", (await db.AuditEntries.FirstAsync(a => a.CompanyId == companyId && a.Action == "equipment.created")).Details);
        }
    }
}
