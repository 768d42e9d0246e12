using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Users;

namespace Cierto.Tests.Domain.Rules;

/// <summary>Who may read and manage which company, decided by <see cref="Actor"/> alone, and how account failures read, without a database.</summary>
public sealed class ActorRulesTests
{
    private static readonly Guid Own = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    private static Actor As(string role, Guid? company = null) => new(Guid.NewGuid(), company, [role]);

    public static TheoryData<string, bool, bool, bool, bool, bool> RoleFlags => new()
    {
        // role, company set: IsRoot, IsSupport, IsStaff, IsCompanyAdmin, IsWorker
        { Roles.Root, false, true, false, true, false },
        { Roles.Support, false, false, true, true, false },
        { Roles.CompanyAdmin, true, false, false, false, true },
        { Roles.Worker, true, false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(RoleFlags))]
    public void Each_role_is_what_it_says_and_company_roles_need_a_company(string role, bool withCompany, bool root, bool support, bool staff, bool admin)
    {
        var actor = As(role, withCompany ? Own : null);

        Assert.Equal((root, support, staff, admin, role == Roles.Worker && withCompany), (actor.IsRoot, actor.IsSupport, actor.IsStaff, actor.IsCompanyAdmin, actor.IsWorker));
        Assert.False(As(Roles.CompanyAdmin).IsCompanyAdmin);
        Assert.False(As(Roles.Worker).IsWorker);
    }

    [Fact]
    public void Staff_read_every_company_members_only_their_own()
    {
        Assert.True(As(Roles.Root).CanRead(Other));
        Assert.True(As(Roles.Support).CanRead(Other));
        Assert.True(As(Roles.Worker, Own).CanRead(Own));
        Assert.False(As(Roles.Worker, Own).CanRead(Other));
        Assert.False(As(Roles.CompanyAdmin, Own).CanRead(Other));
    }

    [Fact]
    public void Root_manages_every_company_an_admin_their_own_Support_and_workers_none()
    {
        Assert.True(As(Roles.Root).CanManage(Other));
        Assert.True(As(Roles.CompanyAdmin, Own).CanManage(Own));
        Assert.False(As(Roles.CompanyAdmin, Own).CanManage(Other));
        Assert.False(As(Roles.Support).CanManage(Other));
        Assert.False(As(Roles.Worker, Own).CanManage(Own));
    }

    [Fact]
    public void Staff_only_and_root_only_actions_refuse_everybody_else()
    {
        As(Roles.Root).RequireStaff();
        As(Roles.Support).RequireStaff();
        As(Roles.Root).RequireRoot();
        Assert.Throws<ForbiddenException>(() => As(Roles.CompanyAdmin, Own).RequireStaff());
        Assert.Throws<ForbiddenException>(() => As(Roles.Support).RequireRoot());
        Assert.Throws<ForbiddenException>(() => As(Roles.CompanyAdmin, Own).RequireRoot());
    }

    [Fact]
    public void The_managed_company_is_the_admins_own_or_the_one_Root_names()
    {
        Assert.Equal(Own, As(Roles.CompanyAdmin, Own).ManagedCompany());
        Assert.Equal(Own, As(Roles.CompanyAdmin, Own).ManagedCompany(Own));
        Assert.Equal(Other, As(Roles.Root).ManagedCompany(Other));

        Assert.Throws<NotFoundException>(() => As(Roles.CompanyAdmin, Own).ManagedCompany(Other));
        Assert.Equal(("company_required", "Choose a company first."), Failure(() => As(Roles.Root).ManagedCompany()));
        Assert.Equal("Company was not found.", Assert.Throws<NotFoundException>(() => As(Roles.CompanyAdmin, Own).ManagedCompany(Other)).Message);
        Assert.Throws<ForbiddenException>(() => As(Roles.Support).ManagedCompany(Other));
        Assert.Throws<ForbiddenException>(() => As(Roles.Worker, Own).ManagedCompany());
    }

    [Fact]
    public void The_readable_company_is_the_members_own_or_the_one_staff_name()
    {
        Assert.Equal(Own, As(Roles.Worker, Own).ReadableCompany());
        Assert.Equal(Own, As(Roles.Worker, Own).ReadableCompany(Own));
        Assert.Equal(Other, As(Roles.Support).ReadableCompany(Other));

        Assert.Throws<NotFoundException>(() => As(Roles.Worker, Own).ReadableCompany(Other));
        Assert.Equal(("company_required", "Choose a company first."), Failure(() => As(Roles.Support).ReadableCompany()));
        Assert.Equal("Company was not found.", Assert.Throws<NotFoundException>(() => As(Roles.Worker, Own).ReadableCompany(Other)).Message);
        Assert.Throws<ForbiddenException>(() => As(Roles.Worker).ReadableCompany());
    }

    [Fact]
    public void Admin_level_data_is_overseen_by_staff_for_any_company_and_by_admins_for_their_own()
    {
        Assert.Equal(Other, As(Roles.Support).OverseenCompany(Other));
        Assert.Equal(Own, As(Roles.CompanyAdmin, Own).OverseenCompany());
        Assert.Throws<ForbiddenException>(() => As(Roles.Worker, Own).OverseenCompany());
        Assert.Throws<NotFoundException>(() => As(Roles.CompanyAdmin, Own).OverseenCompany(Other));
    }

    private static (string Code, string Message) Failure(Func<Guid> act)
    {
        var ex = Assert.Throws<DomainException>(() => act());
        return (ex.Code, ex.Message);
    }

    [Fact]
    public void An_actor_is_made_from_the_user_and_their_roles()
    {
        var user = new CiertoUser { Id = Guid.NewGuid(), CompanyId = Own };

        var actor = Actor.For(user, [Roles.Worker, Roles.Worker]);

        Assert.Equal((user.Id, (Guid?)Own), (actor.UserId, actor.CompanyId));
        Assert.Equal([Roles.Worker], actor.Roles);
    }

    [Fact]
    public void An_identity_failure_becomes_the_fields_messages_and_success_passes()
    {
        AccountRules.ThrowIfFailed(Microsoft.AspNetCore.Identity.IdentityResult.Success);

        var ex = Assert.Throws<ValidationException>(() => AccountRules.ThrowIfFailed(
            Microsoft.AspNetCore.Identity.IdentityResult.Failed(new() { Code = "DuplicateEmail", Description = "Taken." }, new() { Code = "InvalidEmail", Description = "Not an address." }), "AdminEmail"));

        Assert.Equal(["AdminEmail"], ex.Errors.Keys);
        Assert.Equal(["Taken.", "Not an address."], ex.Errors["AdminEmail"]);
        Assert.Equal(["Email"], Assert.Throws<ValidationException>(() => AccountRules.ThrowIfFailed(Microsoft.AspNetCore.Identity.IdentityResult.Failed(new Microsoft.AspNetCore.Identity.IdentityError { Description = "x" }))).Errors.Keys);
    }
}
