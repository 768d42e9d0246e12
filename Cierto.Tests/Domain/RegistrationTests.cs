using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

public sealed class RegistrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(IssuedInviteCode Code, Actor Support)> IssueAsync(string? number = null, int days = 14)
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var issued = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(number ?? AppFixture.Unique("ID"), days, null)));
        return (issued, support);
    }

    private Task<RegisteredCompany> RegisterAsync(string code, string number, string? email = null) =>
        app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(
            new RegisterCompanyRequest(code, "Acme Builders", number, email ?? AppFixture.Email("admin"), AppFixture.Password, "Alice Admin")));

    [Fact]
    public async Task A_valid_code_registers_the_company_with_its_admin_and_a_join_code()
    {
        var (code, _) = await IssueAsync();

        var registered = await RegisterAsync(code.Code.ToLowerInvariant(), code.CompanyIdentificationNumber);

        await using var db = app.Db();
        var company = await db.Companies.SingleAsync(c => c.Id == registered.CompanyId);
        Assert.Equal(code.CompanyIdentificationNumber, company.IdentificationNumber);
        Assert.Equal(Company.JoinCodeLength, company.JoinCode.Length);
        var admin = await db.Users.SingleAsync(u => u.Id == registered.AdminId);
        Assert.Equal(company.Id, admin.CompanyId);
        Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == admin.Id && r.RoleId == Roles.Ids[Roles.CompanyAdmin]));
        var invite = await db.InviteCodes.SingleAsync(i => i.Id == code.Id);
        Assert.NotNull(invite.RedeemedAt);
        Assert.Equal(company.Id, invite.RedeemedByCompanyId);
        Assert.NotEqual(Codes.Normalize(code.Code), invite.CodeHash); // only the hash is stored
        Assert.Equal(Codes.Hash(Codes.Normalize(code.Code)), invite.CodeHash);
    }

    [Fact]
    public async Task A_code_for_another_identification_number_is_refused_and_changes_nothing()
    {
        var (code, _) = await IssueAsync();
        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync(code.Code, AppFixture.Unique("OTHER")));
        Assert.Contains("CompanyIdentificationNumber", ex.Errors.Keys);
        await AssertUnusedAsync(code.Id);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (code, _) = await IssueAsync();
        await using (var db = app.Db())
        {
            await db.InviteCodes.Where(i => i.Id == code.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync(code.Code, code.CompanyIdentificationNumber));
        Assert.Contains("expired", ex.Errors["InviteCode"][0], StringComparison.Ordinal);
        await AssertUnusedAsync(code.Id);
    }

    [Fact]
    public async Task A_used_code_is_refused_the_second_time()
    {
        var (code, _) = await IssueAsync();
        await RegisterAsync(code.Code, code.CompanyIdentificationNumber);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync(code.Code, code.CompanyIdentificationNumber));
        Assert.Contains("already been used", ex.Errors["InviteCode"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_code_is_refused()
    {
        var (code, support) = await IssueAsync();
        await app.RunAsync<InviteCodeService>(s => s.RevokeAsync(support, code.Id));

        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync(code.Code, code.CompanyIdentificationNumber));
        Assert.Contains("revoked", ex.Errors["InviteCode"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_code_is_refused()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync("NOTAREALCODE2345", AppFixture.Unique("ID")));
        Assert.Contains("not valid", ex.Errors["InviteCode"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_registrations_with_one_code_let_exactly_one_win()
    {
        var (code, _) = await IssueAsync();

        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await RegisterAsync(code.Code, code.CompanyIdentificationNumber, AppFixture.Email($"racer{i}"));
                return true;
            }
            catch (ValidationException)
            {
                return false;
            }
        });
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
        await using var db = app.Db();
        Assert.Equal(1, await db.Companies.CountAsync(c => c.IdentificationNumber == code.CompanyIdentificationNumber));
    }

    [Fact]
    public async Task Bad_input_gets_a_message_per_field_and_changes_nothing()
    {
        await using var db = app.Db();
        var companies = await db.Companies.CountAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(
            new RegisterCompanyRequest("", new string('x', 201), "", "not-an-email", "short", new string('n', 101)))));

        Assert.Equal(["AdminDisplayName", "AdminEmail", "AdminPassword", "CompanyIdentificationNumber", "CompanyName", "InviteCode"], ex.Errors.Keys.Order());
        Assert.Equal(companies, await db.Companies.CountAsync());
    }

    [Fact]
    public async Task Support_cannot_issue_a_code_for_an_already_registered_company()
    {
        var (code, support) = await IssueAsync();
        await RegisterAsync(code.Code, code.CompanyIdentificationNumber);

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(code.CompanyIdentificationNumber, 7, null))));
        Assert.Contains("already registered", ex.Errors["CompanyIdentificationNumber"][0], StringComparison.Ordinal);
    }

    private async Task AssertUnusedAsync(Guid inviteId)
    {
        await using var db = app.Db();
        Assert.Null((await db.InviteCodes.SingleAsync(i => i.Id == inviteId)).RedeemedAt);
    }
}
