using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Domain;

/// <summary>
/// The role table of DESIGN.md, operation by operation, on real PostgreSQL: who may, who is
/// refused, and that another company's data answers exactly like missing data.
/// </summary>
public sealed class PermissionMatrixTests(PermissionMatrixTests.World world) : IClassFixture<PermissionMatrixTests.World>
{
    public enum Outcome
    {
        Allowed,
        Forbidden,
        NotFound,
    }

    public sealed class World : IAsyncLifetime
    {
        public AppFixture App { get; } = new();

        public Dictionary<string, Actor> Actors { get; } = [];

        public Guid CompanyA { get; private set; }

        public Guid CompanyB { get; private set; }

        public async Task InitializeAsync()
        {
            await App.InitializeAsync();
            var (a, _, adminA) = await App.CreateCompanyAsync();
            var (b, _, adminB) = await App.CreateCompanyAsync();
            (CompanyA, CompanyB) = (a, b);
            Actors["Root"] = (await App.CreateUserAsync(Roles.Root)).Actor;
            Actors["Support"] = (await App.CreateUserAsync(Roles.Support)).Actor;
            Actors["AdminA"] = adminA;
            Actors["AdminB"] = adminB;
            Actors["WorkerA"] = (await App.CreateUserAsync(Roles.Worker, a)).Actor;
        }

        public Task DisposeAsync() => App.DisposeAsync();

        /// <summary>A fresh pending worker of company A for each attempt, so every try has something to act on.</summary>
        public async Task<Guid> PendingWorkerOfAAsync() => (await App.CreateUserAsync(Roles.Worker, CompanyA, UserStatus.Pending)).User.Id;
    }

    private static readonly Dictionary<string, Func<World, Actor, Task>> Operations = new()
    {
        ["IssueInviteCode"] = (w, a) => w.App.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(a, new(AppFixture.Unique("PM"), 7, null))),
        ["ListInviteCodes"] = (w, a) => w.App.RunAsync<InviteCodeService, Paged<InviteCodeRow>>(s => s.ListAsync(a, new PageRequest())),
        ["ListCompanies"] = (w, a) => w.App.RunAsync<CompanyService, Paged<CompanyRow>>(s => s.ListAsync(a, new PageRequest())),
        ["ReadCompanyA"] = (w, a) => w.App.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(a, w.CompanyA)),
        ["ListWorkersOfA"] = (w, a) => w.App.RunAsync<WorkerService, Paged<WorkerRow>>(s => s.ListAsync(a, null, new PageRequest(), null, w.CompanyA)),
        ["ApproveWorkerOfA"] = async (w, a) =>
        {
            var id = await w.PendingWorkerOfAAsync();
            await w.App.RunAsync<WorkerService>(s => s.ApproveAsync(a, id));
        },
        ["ChangeJoinPolicyOfA"] = (w, a) => w.App.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(a, JoinPolicy.ApprovalRequired, w.CompanyA)),
        ["CreateCompany"] = (w, a) => w.App.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(a, new CreateCompanyRequest("New Co", AppFixture.Unique("NC"), AppFixture.Email("nc"), "Admin"))),
        ["CreateSupport"] = (w, a) => w.App.RunAsync<StaffService, Guid>(s => s.CreateSupportAsync(a, new CreateSupportRequest(AppFixture.Email("sup"), "Sue", AppFixture.Password))),
        ["ListAllUsers"] = (w, a) => w.App.RunAsync<StaffService, Paged<UserRow>>(s => s.ListUsersAsync(a, new PageRequest())),
    };

    public static TheoryData<string, string, Outcome> Matrix()
    {
        const Outcome Y = Outcome.Allowed, F = Outcome.Forbidden, N = Outcome.NotFound;
        var table = new (string Operation, Outcome Root, Outcome Support, Outcome AdminA, Outcome AdminB, Outcome WorkerA)[]
        {
            ("IssueInviteCode", Y, Y, F, F, F),
            ("ListInviteCodes", Y, Y, F, F, F),
            ("ListCompanies", Y, Y, F, F, F),
            ("ReadCompanyA", Y, Y, Y, N, Y),
            ("ListWorkersOfA", Y, Y, Y, N, F),
            ("ApproveWorkerOfA", Y, F, Y, N, F),
            ("ChangeJoinPolicyOfA", Y, F, Y, N, F),
            ("CreateCompany", Y, Y, F, F, F),
            ("CreateSupport", Y, F, F, F, F),
            ("ListAllUsers", Y, F, F, F, F),
        };
        var data = new TheoryData<string, string, Outcome>();
        foreach (var row in table)
        {
            data.Add(row.Operation, "Root", row.Root);
            data.Add(row.Operation, "Support", row.Support);
            data.Add(row.Operation, "AdminA", row.AdminA);
            data.Add(row.Operation, "AdminB", row.AdminB);
            data.Add(row.Operation, "WorkerA", row.WorkerA);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_can_do_exactly_what_the_design_says(string operation, string actor, Outcome expected)
    {
        var outcome = Outcome.Allowed;
        try
        {
            await Operations[operation](world, world.Actors[actor]);
        }
        catch (ForbiddenException)
        {
            outcome = Outcome.Forbidden;
        }
        catch (NotFoundException)
        {
            outcome = Outcome.NotFound;
        }

        Assert.Equal(expected, outcome);
    }

    [Fact]
    public async Task A_foreign_worker_id_answers_exactly_like_a_missing_one()
    {
        var foreignWorker = await world.PendingWorkerOfAAsync();
        var adminB = world.Actors["AdminB"];

        var foreign = await Assert.ThrowsAsync<NotFoundException>(() => world.App.RunAsync<WorkerService>(s => s.ApproveAsync(adminB, foreignWorker)));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => world.App.RunAsync<WorkerService>(s => s.ApproveAsync(adminB, Guid.NewGuid())));

        Assert.Equal(missing.Message, foreign.Message);
        Assert.Equal(missing.Code, foreign.Code);
        await using var db = world.App.Db();
        Assert.Equal(UserStatus.Pending, db.Users.Single(u => u.Id == foreignWorker).Status);
    }

    [Fact]
    public async Task A_foreign_company_id_answers_exactly_like_a_missing_one()
    {
        var adminB = world.Actors["AdminB"];

        var foreign = await Assert.ThrowsAsync<NotFoundException>(() => world.App.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(adminB, world.CompanyA)));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => world.App.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(adminB, Guid.NewGuid())));

        Assert.Equal(missing.Message, foreign.Message);
    }

    [Fact]
    public async Task Workers_do_not_see_their_company_join_code()
    {
        var details = await world.App.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(world.Actors["WorkerA"]));
        Assert.Null(details.JoinCode);
        var asAdmin = await world.App.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(world.Actors["AdminA"]));
        Assert.NotNull(asAdmin.JoinCode);
    }
}
