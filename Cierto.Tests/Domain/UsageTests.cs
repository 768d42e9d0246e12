using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>Activation and release rules on real PostgreSQL, including the races the database must settle.</summary>
public sealed class UsageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(Guid CompanyId, Actor Admin, EquipmentItem Item)> CompanyWithItemAsync(EquipmentStatus status = EquipmentStatus.Available)
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var item = new EquipmentItem(companyId, "Hilti TE 30", "HD-1", "Power tools", null, DateTimeOffset.UtcNow);
        if (status == EquipmentStatus.OutOfService)
        {
            item.MarkOutOfService(DateTimeOffset.UtcNow);
        }
        else if (status == EquipmentStatus.Retired)
        {
            item.Retire(DateTimeOffset.UtcNow);
        }

        await using var db = app.Db();
        db.Equipment.Add(item);
        await db.SaveChangesAsync();
        return (companyId, admin, item);
    }

    private Task<ActivationResult> ActivateAsync(Actor worker, string code) =>
        app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, code));

    [Fact]
    public async Task Fifty_concurrent_activations_of_one_item_let_exactly_one_win()
    {
        var (companyId, _, item) = await CompanyWithItemAsync();
        var workers = new List<Actor>();
        for (var i = 0; i < 50; i++)
        {
            workers.Add((await app.CreateUserAsync(Roles.Worker, companyId)).Actor);
        }

        var results = await Task.WhenAll(workers.Select(w => Task.Run(() => ActivateAsync(w, item.ActivationCode))));

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(49, results.Count(r => r.Status == ActivationStatus.InUse));
        await using var db = app.Db();
        Assert.Equal(1, await db.UsageSessions.CountAsync(s => s.EquipmentId == item.Id));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "usage.activated" && a.TargetId == item.Id.ToString()));
    }

    [Fact]
    public async Task Concurrent_deactivate_and_force_release_end_the_session_once()
    {
        var (companyId, admin, item) = await CompanyWithItemAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await ActivateAsync(worker, item.ActivationCode)).SessionId!.Value;

        var results = await Task.WhenAll(
            Task.Run(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(worker, session))),
            Task.Run(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, "Needed elsewhere"))));

        Assert.Single(results, r => r == ReleaseStatus.Released);
        Assert.Single(results, r => r == ReleaseStatus.AlreadyEnded);
        await using var db = app.Db();
        Assert.NotNull((await db.UsageSessions.SingleAsync(s => s.Id == session)).EndedAt);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.TargetId == session.ToString() && (a.Action == "usage.deactivated" || a.Action == "usage.force-released")));
    }

    [Fact]
    public async Task Who_holds_an_item_is_told_to_an_admin_but_not_to_another_worker()
    {
        var (companyId, _, item) = await CompanyWithItemAsync();
        var (holderUser, holder) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, colleague) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var adminWhoWorks = new Actor(adminUser.Id, companyId, [Roles.CompanyAdmin, Roles.Worker]);
        await ActivateAsync(holder, item.ActivationCode);

        var toColleague = await ActivateAsync(colleague, item.ActivationCode);
        var toAdmin = await ActivateAsync(adminWhoWorks, item.ActivationCode);

        Assert.Equal(ActivationStatus.InUse, toColleague.Status);
        Assert.DoesNotContain(holderUser.DisplayName, toColleague.Message, StringComparison.Ordinal);
        Assert.Contains(holderUser.DisplayName, toAdmin.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_are_case_and_dash_insensitive()
    {
        var (companyId, _, item) = await CompanyWithItemAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var typed = item.ActivationCode.ToLowerInvariant().Insert(3, "-");

        Assert.True((await ActivateAsync(worker, typed)).Succeeded);
    }

    [Theory]
    [InlineData(EquipmentStatus.OutOfService, "out of service")]
    [InlineData(EquipmentStatus.Retired, "retired")]
    public async Task Unavailable_items_cannot_be_activated(EquipmentStatus status, string says)
    {
        var (companyId, _, item) = await CompanyWithItemAsync(status);
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        var result = await ActivateAsync(worker, item.ActivationCode);

        Assert.Equal(ActivationStatus.Unavailable, result.Status);
        Assert.Contains(says, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_company_code_answers_like_a_wrong_code()
    {
        var (_, _, foreignItem) = await CompanyWithItemAsync();
        var (companyId, _, _) = await CompanyWithItemAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        var foreign = await ActivateAsync(worker, foreignItem.ActivationCode);
        var wrong = await ActivateAsync(worker, "ZZZZZZZ");

        Assert.Equal(ActivationStatus.InvalidCode, foreign.Status);
        Assert.Equal(wrong, foreign);
    }

    [Fact]
    public async Task Only_the_holder_deactivates_and_a_worker_cannot_force_release()
    {
        var (companyId, _, item) = await CompanyWithItemAsync();
        var (_, holder) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, other) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await ActivateAsync(holder, item.ActivationCode)).SessionId!.Value;

        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(other, session)));
        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(other, session, "mine now")));
        Assert.Equal(ReleaseStatus.Released, await app.RunAsync<UsageService, ReleaseStatus>(s => s.DeactivateAsync(holder, session)));
    }

    [Fact]
    public async Task Force_release_needs_a_reason_and_another_company_admin_sees_nothing()
    {
        var (companyId, admin, item) = await CompanyWithItemAsync();
        var (_, _, otherAdmin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await ActivateAsync(worker, item.ActivationCode)).SessionId!.Value;

        await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, "  ")));
        await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(otherAdmin, session, "not yours")));

        await using var db = app.Db();
        Assert.Null((await db.UsageSessions.SingleAsync(s => s.Id == session)).EndedAt);
    }

    [Fact]
    public async Task Five_wrong_codes_throttle_the_worker_and_are_audited()
    {
        var (companyId, _, item) = await CompanyWithItemAsync();
        var (_, guesser) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (_, colleague) = await app.CreateUserAsync(Roles.Worker, companyId);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ActivationStatus.InvalidCode, (await ActivateAsync(guesser, $"ZZZZZZ{Codes.Alphabet[i]}")).Status);
        }

        var blocked = await ActivateAsync(guesser, item.ActivationCode);
        Assert.Equal(ActivationStatus.Throttled, blocked.Status);
        Assert.True(blocked.RetryAfter > TimeSpan.FromMinutes(14));
        Assert.True((await ActivateAsync(colleague, item.ActivationCode)).Succeeded);
        await using var db = app.Db();
        Assert.Equal(5, await db.AuditEntries.CountAsync(a => a.Action == "usage.invalid-code" && a.ActorId == guesser.UserId));
    }

    [Fact]
    public async Task A_company_cap_limits_how_many_items_one_worker_holds()
    {
        var (companyId, admin, first) = await CompanyWithItemAsync();
        var second = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Second", null, null, null)));
        await app.RunAsync<Cierto.Domain.Companies.CompanyService>(s => s.SetActiveItemCapAsync(admin, 1));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);

        Assert.True((await ActivateAsync(worker, first.ActivationCode)).Succeeded);
        var refused = await ActivateAsync(worker, second.ActivationCode);

        Assert.Equal(ActivationStatus.LimitReached, refused.Status);
        Assert.Contains("the most your company allows", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_codes_use_the_look_alike_free_alphabet()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => new EquipmentItem(Guid.NewGuid(), "x", null, null, null, DateTimeOffset.UtcNow).ActivationCode).ToList();

        Assert.All(codes, c => Assert.True(Codes.IsWellFormed(c, EquipmentItem.ActivationCodeMinLength, EquipmentItem.ActivationCodeMaxLength), c));
        Assert.DoesNotContain(codes, c => c.IndexOfAny(['0', 'O', '1', 'I', 'L']) >= 0);
        Assert.True(codes.Distinct().Count() > 1990);
    }
}
