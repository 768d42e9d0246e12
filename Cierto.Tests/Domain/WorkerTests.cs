using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

public sealed class WorkerTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<CiertoUser?> JoinAsync(string joinCode, string email, string password = AppFixture.Password, string name = "Walter Worker")
    {
        await app.RunAsync<WorkerService>(s => s.RequestJoinAsync(new JoinRequest(joinCode, email, password, name)));
        await app.DeliverOutboxAsync();
        await using var db = app.Db();
        var normalized = email.ToUpperInvariant();
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized);
    }

    /// <summary>The token the confirmation mail carries, as the outbox handler makes it.</summary>
    private async Task<string> ConfirmationTokenAsync(Guid userId)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        return await users.GenerateEmailConfirmationTokenAsync((await users.FindByIdAsync(userId.ToString()))!);
    }

    private Task<bool> ConfirmAsync(Guid userId, string token) => app.RunAsync<WorkerService, bool>(s => s.ConfirmEmailAsync(userId, token));

    private async Task<CiertoUser> ReloadAsync(Guid id)
    {
        await using var db = app.Db();
        return await db.Users.SingleAsync(u => u.Id == id);
    }

    private async Task<SignInResult> CheckPasswordAsync(string email, string password)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<CiertoUser>>();
        var user = await users.FindByEmailAsync(email);
        return await signIn.CheckPasswordSignInAsync(user!, password, lockoutOnFailure: true);
    }

    private async Task<List<string>> OutboxKindsAboutAsync(Guid id)
    {
        await using var db = app.Db();
        return await db.OutboxMessages.Where(m => m.Payload.Contains(id.ToString())).Select(m => m.Kind).ToListAsync();
    }

    [Fact]
    public async Task A_joining_worker_confirms_the_address_then_waits_for_approval_then_can_sign_in()
    {
        var (companyId, joinCode, admin) = await app.CreateCompanyAsync();
        var email = AppFixture.Email("worker");

        var worker = await JoinAsync(joinCode.ToLowerInvariant(), email);
        Assert.NotNull(worker);
        Assert.Equal((UserStatus.Pending, false, companyId), (worker.Status, worker.EmailConfirmed, worker.CompanyId));
        Assert.DoesNotContain(WorkerAwaitingApproval.Kind, await OutboxKindsAboutAsync(worker.Id)); // admins are asked once the address is proven
        var early = await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, worker.Id)));
        Assert.Equal("email_not_confirmed", early.Code);
        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).IsNotAllowed);

        Assert.True(await ConfirmAsync(worker.Id, await ConfirmationTokenAsync(worker.Id)));
        Assert.Contains(WorkerAwaitingApproval.Kind, await OutboxKindsAboutAsync(worker.Id));
        var listed = await app.RunAsync<WorkerService, Paged<WorkerRow>>(s => s.ListAsync(admin, UserStatus.Pending, new PageRequest()));
        Assert.True(listed.Items.Single(r => r.Id == worker.Id).EmailConfirmed);
        await app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, worker.Id));

        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).Succeeded);
    }

    [Fact]
    public async Task With_auto_approve_a_worker_is_active_once_the_address_is_confirmed()
    {
        var (_, joinCode, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(admin, JoinPolicy.AutoApprove));

        var worker = await JoinAsync(joinCode, AppFixture.Email("auto"));
        Assert.Equal(UserStatus.Pending, worker!.Status);
        Assert.False(await ConfirmAsync(worker.Id, "not-a-token"));
        Assert.Equal(UserStatus.Pending, (await ReloadAsync(worker.Id)).Status);

        Assert.True(await ConfirmAsync(worker.Id, await ConfirmationTokenAsync(worker.Id)));

        Assert.Equal(UserStatus.Active, (await ReloadAsync(worker.Id)).Status);
    }

    [Fact]
    public async Task A_second_join_for_an_unconfirmed_address_sends_a_new_link_and_voids_the_first()
    {
        var (_, joinCode, admin) = await app.CreateCompanyAsync();
        var email = AppFixture.Email("again");
        var first = await JoinAsync(joinCode, email, "Impostor-pass-1", "Mallory");
        var firstToken = await ConfirmationTokenAsync(first!.Id);

        var second = await JoinAsync(joinCode, email, AppFixture.Password, "Real Owner");

        Assert.Equal(first.Id, second!.Id);
        Assert.Equal("Real Owner", second.DisplayName);
        Assert.Equal(2, (await OutboxKindsAboutAsync(first.Id)).Count(k => k == EmailConfirmationRequested.Kind));
        Assert.False(await ConfirmAsync(first.Id, firstToken));
        Assert.True(await ConfirmAsync(first.Id, await ConfirmationTokenAsync(first.Id)));
        await app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, first.Id));
        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).Succeeded);
        Assert.False((await CheckPasswordAsync(email, "Impostor-pass-1")).Succeeded);
    }

    [Fact]
    public async Task A_rejected_request_leaves_no_account()
    {
        var (_, joinCode, admin) = await app.CreateCompanyAsync();
        var worker = await JoinAsync(joinCode, AppFixture.Email("rejected"));

        await app.RunAsync<WorkerService>(s => s.RejectAsync(admin, worker!.Id));

        await using var db = app.Db();
        Assert.False(await db.Users.AnyAsync(u => u.Id == worker!.Id));
    }

    [Fact]
    public async Task Joining_with_a_confirmed_address_answers_the_same_and_changes_nothing()
    {
        var (_, joinCode, _) = await app.CreateCompanyAsync();
        var (existing, _) = await app.CreateUserAsync(Roles.Support);

        await JoinAsync(joinCode, existing.Email!, "Impostor-pass-1", "Impostor");

        var user = await ReloadAsync(existing.Id);
        Assert.Null(user.CompanyId);
        Assert.Equal(existing.PasswordHash, user.PasswordHash);
    }

    [Fact]
    public async Task A_join_request_costs_the_same_for_a_known_and_an_unknown_join_code()
    {
        var (_, joinCode, _) = await app.CreateCompanyAsync();
        async Task<List<string>> RecordAsync(string code)
        {
            var recorder = new SqlCommandRecorder();
            await using var db = recorder.Context(app.Database);
            await using var scope = app.App.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
            await new WorkerService(db, users, new JoinRequestValidator(users), scope.ServiceProvider.GetRequiredService<Cierto.Domain.Accounts.SignInSessionService>(), TimeProvider.System)
                .RequestJoinAsync(new JoinRequest(code, AppFixture.Email("probe"), AppFixture.Password, "Probe"));
            return recorder.Commands;
        }

        var known = await RecordAsync(joinCode);
        var unknown = await RecordAsync("ZZZZZZZZ");

        Assert.NotEmpty(known);
        Assert.Equal(known, unknown);
        Assert.DoesNotContain(known, c => c.Contains("Companies", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_join_code_is_answered_by_mail_and_creates_nothing()
    {
        var email = AppFixture.Email("typo");

        var user = await JoinAsync("ZZZZZZZZ", email);

        Assert.Null(user);
        await using var db = app.Db();
        var notFound = await db.OutboxMessages.Where(m => m.Kind == JoinCodeNotFound.Kind && m.Payload.Contains(email)).SingleAsync();
        Assert.Equal(Cierto.Domain.Outbox.OutboxStatus.Sent, notFound.Status);
    }

    [Fact]
    public async Task A_handled_join_keeps_no_password_hash_in_the_outbox()
    {
        var (_, joinCode, _) = await app.CreateCompanyAsync();
        var email = AppFixture.Email("hash");
        var worker = await JoinAsync(joinCode, email);

        await using var db = app.Db();
        var join = await db.OutboxMessages.SingleAsync(m => m.Kind == JoinRequested.Kind && m.Payload.Contains(email));
        Assert.DoesNotContain(worker!.PasswordHash!, join.Payload, StringComparison.Ordinal);
        Assert.Contains(OutboxWriter.Redacted, join.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o'brien")]
    [InlineData("tom&jerry")]
    [InlineData("plus+tag")]
    [InlineData("hash#tag")]
    [InlineData("jos\u00e9.mu\u00f1oz")]
    [InlineData("\u00fc\u00e7\u00fc\u015f")]
    public async Task Addresses_with_any_valid_character_join_end_to_end(string local)
    {
        var (_, joinCode, admin) = await app.CreateCompanyAsync();
        var email = $"{System.Text.RegularExpressions.Regex.Unescape(local)}-{Guid.NewGuid():N}@cierto.test";
        var pickup = Path.Combine(app.App.Services.GetRequiredService<Cierto.Web.Infrastructure.HostingMode>().DataDirectory, "mail-pickup");

        var worker = await JoinAsync(joinCode, email);

        Assert.NotNull(worker);
        Assert.Equal(email, worker.Email);
        Assert.Contains(Directory.GetFiles(pickup).Select(File.ReadAllText), m => m.Contains("Confirm your email address", StringComparison.Ordinal) && m.Contains(worker.Id.ToString(), StringComparison.Ordinal));
        Assert.True(await ConfirmAsync(worker.Id, await ConfirmationTokenAsync(worker.Id)));
        await app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, worker.Id));
        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).Succeeded);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_loses_the_session_stamp()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var stampBefore = worker.SecurityStamp;

        await app.RunAsync<WorkerService>(s => s.DisableAsync(admin, worker.Id));

        Assert.True((await CheckPasswordAsync(worker.Email!, AppFixture.Password)).IsNotAllowed);
        await using var db = app.Db();
        Assert.NotEqual(stampBefore, (await db.Users.SingleAsync(u => u.Id == worker.Id)).SecurityStamp);

        await app.RunAsync<WorkerService>(s => s.EnableAsync(admin, worker.Id));
        Assert.True((await CheckPasswordAsync(worker.Email!, AppFixture.Password)).Succeeded);
    }

    [Fact]
    public async Task A_wrong_password_for_a_disabled_user_looks_like_any_wrong_password()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<WorkerService>(s => s.DisableAsync(admin, worker.Id));

        var result = await CheckPasswordAsync(worker.Email!, "Wrong-password-1");

        Assert.False(result.Succeeded || result.IsNotAllowed || result.IsLockedOut);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);

        for (var i = 0; i < 5; i++)
        {
            await CheckPasswordAsync(worker.Email!, "Wrong-password-1");
        }

        Assert.True((await CheckPasswordAsync(worker.Email!, AppFixture.Password)).IsLockedOut);
    }

    [Fact]
    public async Task An_admin_cannot_disable_themselves()
    {
        var (_, _, admin) = await app.CreateCompanyAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<WorkerService>(s => s.DisableAsync(admin, admin.UserId)));
        Assert.Equal("cannot_disable_self", ex.Code);
    }

    [Fact]
    public async Task Promotion_makes_a_worker_a_company_admin()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);

        await app.RunAsync<WorkerService>(s => s.PromoteToAdminAsync(admin, worker.Id));

        var rows = await app.RunAsync<WorkerService, Paged<WorkerRow>>(s => s.ListAsync(admin, UserStatus.Active, new PageRequest()));
        Assert.True(rows.Items.Single(r => r.Id == worker.Id).IsAdmin);
    }

    [Fact]
    public async Task A_promotion_can_be_undone_and_the_worker_keeps_working()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<WorkerService>(s => s.PromoteToAdminAsync(admin, worker.Id));
        var stamp = (await ReloadAsync(worker.Id)).SecurityStamp;

        await app.RunAsync<WorkerService>(s => s.DemoteAsync(admin, worker.Id));

        var rows = await app.RunAsync<WorkerService, Paged<WorkerRow>>(s => s.ListAsync(admin, UserStatus.Active, new PageRequest()));
        Assert.False(rows.Items.Single(r => r.Id == worker.Id).IsAdmin);
        Assert.NotEqual(stamp, (await ReloadAsync(worker.Id)).SecurityStamp); // open pages and tokens lose the role
        var again = await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<WorkerService>(s => s.DemoteAsync(admin, worker.Id)));
        Assert.Equal("not_admin", again.Code);
    }

    [Fact]
    public async Task Another_admin_cannot_disable_or_demote_the_founding_admin_but_root_can()
    {
        var (companyId, _, founder) = await app.CreateCompanyAsync();
        var (other, otherActor) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (_, root) = await app.CreateUserAsync(Roles.Root);

        var listed = await app.RunAsync<WorkerService, Paged<WorkerRow>>(s => s.ListAsync(founder, UserStatus.Active, new PageRequest()));
        Assert.True(listed.Items.Single(r => r.Id == founder.UserId).IsFounder);
        foreach (var attempt in new Func<WorkerService, Task>[] { s => s.DisableAsync(otherActor, founder.UserId), s => s.DemoteAsync(otherActor, founder.UserId) })
        {
            Assert.Equal("founding_admin", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync(attempt))).Code);
        }

        await app.RunAsync<WorkerService>(s => s.DisableAsync(root, founder.UserId));
        Assert.Equal(UserStatus.Disabled, (await ReloadAsync(founder.UserId)).Status);
        Assert.Equal(UserStatus.Active, (await ReloadAsync(other.Id)).Status);
    }

    [Fact]
    public async Task A_company_keeps_at_least_one_active_admin()
    {
        var (companyId, _, founder) = await app.CreateCompanyAsync();
        var (_, root) = await app.CreateUserAsync(Roles.Root);
        var (other, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        await app.RunAsync<WorkerService>(s => s.DisableAsync(root, other.Id));

        var last = await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<WorkerService>(s => s.DisableAsync(root, founder.UserId)));
        Assert.Equal("last_admin", last.Code);
        Assert.Equal("last_admin", (await Assert.ThrowsAsync<DomainException>(() => app.RunAsync<WorkerService>(s => s.DemoteAsync(root, founder.UserId)))).Code);
    }

    [Fact]
    public async Task Two_admins_disabling_each_other_at_once_never_leave_the_company_without_one()
    {
        var (companyId, _, founder) = await app.CreateCompanyAsync();
        var (_, root) = await app.CreateUserAsync(Roles.Root);
        var (a, actorA) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (b, actorB) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        await app.RunAsync<WorkerService>(s => s.DisableAsync(root, founder.UserId));

        for (var round = 0; round < 50; round++)
        {
            using var start = new ManualResetEventSlim();
            async Task<bool> TryAsync(Actor actor, Guid target)
            {
                start.Wait();
                try
                {
                    await app.RunAsync<WorkerService>(s => s.DisableAsync(actor, target));
                    return true;
                }
                catch (DomainException ex) when (ex.Code == "last_admin")
                {
                    return false;
                }
            }

            var first = Task.Run(() => TryAsync(actorA, b.Id));
            var second = Task.Run(() => TryAsync(actorB, a.Id));
            start.Set();
            var outcomes = await Task.WhenAll(first, second);

            Assert.Single(outcomes, done => done);
            var disabled = outcomes[0] ? b.Id : a.Id;
            Assert.Equal(UserStatus.Active, (await ReloadAsync(outcomes[0] ? a.Id : b.Id)).Status);
            await app.RunAsync<WorkerService>(s => s.EnableAsync(root, disabled));
        }
    }
}
