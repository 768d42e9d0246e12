using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

public sealed class WorkerTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<CiertoUser?> JoinAsync(string joinCode, string email)
    {
        await app.RunAsync<WorkerService, string>(s => s.RequestJoinAsync(new JoinRequest(joinCode, email, AppFixture.Password, "Walter Worker")));
        await app.DeliverOutboxAsync();
        await using var db = app.Db();
        var normalized = email.ToUpperInvariant();
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized);
    }

    private async Task<SignInResult> CheckPasswordAsync(string email, string password)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<CiertoUser>>();
        var user = await users.FindByEmailAsync(email);
        return await signIn.CheckPasswordSignInAsync(user!, password, lockoutOnFailure: true);
    }

    [Fact]
    public async Task A_worker_who_joins_waits_for_approval_then_can_sign_in()
    {
        var (companyId, joinCode, admin) = await app.CreateCompanyAsync();
        var email = AppFixture.Email("worker");

        var worker = await JoinAsync(joinCode.ToLowerInvariant(), email);
        Assert.NotNull(worker);
        Assert.Equal(UserStatus.Pending, worker.Status);
        Assert.Equal(companyId, worker.CompanyId);
        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).IsNotAllowed);

        await app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, worker.Id));

        Assert.True((await CheckPasswordAsync(email, AppFixture.Password)).Succeeded);
    }

    [Fact]
    public async Task With_auto_approve_a_joining_worker_is_active_at_once()
    {
        var (_, joinCode, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(admin, JoinPolicy.AutoApprove));

        var worker = await JoinAsync(joinCode, AppFixture.Email("auto"));

        Assert.Equal(UserStatus.Active, worker!.Status);
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
    public async Task Joining_with_a_known_address_answers_the_same_and_creates_nothing()
    {
        var (_, joinCode, _) = await app.CreateCompanyAsync();
        var (existing, _) = await app.CreateUserAsync(Roles.Support);

        var answer = await app.RunAsync<WorkerService, string>(s => s.RequestJoinAsync(new JoinRequest(joinCode, existing.Email, AppFixture.Password, "Impostor")));
        await app.DeliverOutboxAsync();

        Assert.False(string.IsNullOrEmpty(answer));
        await using var db = app.Db();
        var user = await db.Users.SingleAsync(u => u.Id == existing.Id);
        Assert.Null(user.CompanyId);
    }

    [Fact]
    public async Task An_unknown_join_code_is_refused_with_a_clear_message()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            app.RunAsync<WorkerService, string>(s => s.RequestJoinAsync(new JoinRequest("ZZZZZZZZ", AppFixture.Email(), AppFixture.Password, "X"))));
        Assert.Contains("join code", ex.Errors["JoinCode"][0], StringComparison.OrdinalIgnoreCase);
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
    public async Task Pending_workers_are_announced_to_the_company_admins_through_the_outbox()
    {
        var (companyId, joinCode, _) = await app.CreateCompanyAsync();
        var worker = await JoinAsync(joinCode, AppFixture.Email("announce"));

        await using var db = app.Db();
        var kinds = await db.OutboxMessages.Where(m => m.Payload.Contains(worker!.Id.ToString())).Select(m => m.Kind).ToListAsync();
        Assert.Contains(WorkerAwaitingApproval.Kind, kinds);
        Assert.Contains(EmailConfirmationRequested.Kind, kinds);
        Assert.Equal(companyId, worker!.CompanyId);
    }
}
