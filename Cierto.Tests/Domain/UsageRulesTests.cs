using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>What each activation and release answers, word for word, and what it leaves behind.</summary>
public sealed class UsageRulesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(Guid CompanyId, Actor Admin, Actor Worker, EquipmentRow Item)> CompanyAsync(string name = "Hilti TE 30")
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, null, null, null)));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        return (companyId, admin, worker, item);
    }

    private Task<ActivationResult> ActivateAsync(Actor worker, string code) =>
        app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, code));

    [Fact]
    public async Task Only_workers_activate()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var (_, _, _, item) = await CompanyAsync();

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => ActivateAsync(support, item.ActivationCode));

        Assert.Equal("Only workers activate equipment.", refused.Message);
    }

    [Fact]
    public async Task Activating_what_one_already_holds_answers_with_the_same_session()
    {
        var (_, _, worker, item) = await CompanyAsync();
        var first = await ActivateAsync(worker, item.ActivationCode);

        var again = await ActivateAsync(worker, item.ActivationCode);

        Assert.Equal(ActivationStatus.Activated, again.Status);
        Assert.True(again.AlreadyHeld);
        Assert.False(first.AlreadyHeld);
        Assert.Equal(first.SessionId, again.SessionId);
        Assert.Equal(first.StartedAt!.Value, again.StartedAt!.Value, TimeSpan.FromMilliseconds(1)); // the database keeps microseconds
        Assert.Equal("You are already using Hilti TE 30.", again.Message);
    }

    [Fact]
    public async Task At_the_cap_activating_a_held_item_again_is_the_same_request_not_over_the_limit()
    {
        var (_, admin, worker, item) = await CompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetActiveItemCapAsync(admin, 1));
        var other = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Leica laser", null, null, null)));
        Assert.True((await ActivateAsync(worker, item.ActivationCode)).Succeeded);

        var again = await ActivateAsync(worker, item.ActivationCode);
        var over = await ActivateAsync(worker, other.ActivationCode);

        Assert.True(again.AlreadyHeld);
        Assert.Equal(ActivationStatus.LimitReached, over.Status);
        Assert.Equal("You already hold 1 item, the most your company allows. Release it first.", over.Message);
    }

    [Fact]
    public async Task Another_worker_learns_only_that_the_item_is_taken()
    {
        var (companyId, _, worker, item) = await CompanyAsync();
        var (_, colleague) = await app.CreateUserAsync(Roles.Worker, companyId);
        Assert.True((await ActivateAsync(worker, item.ActivationCode)).Succeeded);

        var taken = await ActivateAsync(colleague, item.ActivationCode);

        Assert.Equal(ActivationStatus.InUse, taken.Status);
        Assert.Equal("Hilti TE 30 is already in use by someone else.", taken.Message);
        Assert.Equal(item.Id, taken.EquipmentId);
    }

    [Fact]
    public async Task A_wrong_code_is_audited_with_at_most_sixteen_of_its_characters()
    {
        var (_, _, worker, _) = await CompanyAsync();

        var wrong = await ActivateAsync(worker, "ABCDEFGHJKLMNPQRSTUV"); // 20 characters
        var shortWrong = await ActivateAsync(worker, "ZZZZZZZ");

        Assert.Equal(ActivationStatus.InvalidCode, wrong.Status);
        Assert.Equal("That activation code does not match any item. Check the code on the label and try again.", wrong.Message);
        Assert.Equal(ActivationStatus.InvalidCode, shortWrong.Status);
        await using var db = app.Db();
        var audited = await db.AuditEntries.Where(a => a.Action == "usage.invalid-code" && a.ActorId == worker.UserId).OrderBy(a => a.Id).Select(a => a.Details).ToListAsync();
        Assert.Equal(["ABCDEFGHJKLMNPQR", "ZZZZZZZ"], audited);
    }

    [Fact]
    public async Task After_five_wrong_codes_the_worker_is_told_how_many_minutes_to_wait()
    {
        var (_, _, worker, item) = await CompanyAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ActivationStatus.InvalidCode, (await ActivateAsync(worker, "ZZZZZZZ")).Status);
        }

        var throttled = await ActivateAsync(worker, item.ActivationCode);

        Assert.Equal(ActivationStatus.Throttled, throttled.Status);
        Assert.Equal("Too many wrong codes. Try again in 15 minutes.", throttled.Message);
        Assert.InRange(throttled.RetryAfter!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task A_force_release_needs_a_reason_and_tells_the_worker_through_the_outbox()
    {
        var (_, admin, worker, item) = await CompanyAsync();
        var session = (await ActivateAsync(worker, item.ActivationCode)).SessionId!.Value;

        var blank = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, "  ")));
        Assert.Equal(["Reason"], blank.Errors.Keys);
        Assert.Equal(ReleaseStatus.Released, await app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, " Needed on site B ")));

        await using var db = app.Db();
        var ended = await db.UsageSessions.SingleAsync(s => s.Id == session);
        Assert.Equal(SessionEndKind.ForceRelease, ended.EndKind);
        Assert.Equal("Needed on site B", ended.EndReason);
        Assert.Equal(admin.UserId, ended.EndedById);
        var notice = await db.OutboxMessages.Where(m => m.Kind == EquipmentForceReleased.Kind).ToListAsync();
        Assert.Single(notice, m => OutboxWriter.Read<EquipmentForceReleased>(m).SessionId == session);
    }

    [Fact]
    public async Task Releasing_a_session_of_another_company_answers_like_a_missing_one()
    {
        var (_, _, worker, item) = await CompanyAsync();
        var (_, otherAdmin, _, _) = await CompanyAsync("Other drill");
        var session = (await ActivateAsync(worker, item.ActivationCode)).SessionId!.Value;

        var foreign = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(otherAdmin, session, "mine now")));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(otherAdmin, Guid.NewGuid(), "mine now")));

        Assert.Equal("Usage was not found.", foreign.Message);
        Assert.Equal(missing.Message, foreign.Message);
    }

    [Fact]
    public async Task A_worker_cannot_end_a_colleagues_session_and_ending_twice_is_already_ended()
    {
        var (companyId, _, worker, item) = await CompanyAsync();
        var (_, colleague) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await ActivateAsync(worker, item.ActivationCode)).SessionId!.Value;

        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(colleague, session)));
        Assert.Equal(ReleaseStatus.Released, await app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(worker, session)));
        Assert.Equal(ReleaseStatus.AlreadyEnded, await app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(worker, session)));

        await using var db = app.Db();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "usage.deactivated" && a.TargetId == session.ToString()));
    }
}
