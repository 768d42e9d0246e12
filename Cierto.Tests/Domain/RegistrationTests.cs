using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Outbox;
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
        Assert.Equal(["This invite code was issued for a different company identification number."], ex.Errors["CompanyIdentificationNumber"]);
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
                return null;
            }
            catch (ValidationException ex)
            {
                return ex;
            }
        });
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r is null));
        // Whether a loser was refused before or while the winner redeemed the code, it reads the same: the code is used
        // (not the identification number's unique index, which would also keep a second company out).
        Assert.All(results.OfType<ValidationException>(), ex => Assert.Equal(["This invite code has already been used."], ex.Errors["InviteCode"]));
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
        Assert.Equal(["Invite code is required."], ex.Errors["InviteCode"]);
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

    private async Task<(string Action, Guid? ActorId, string? Details, string TimeZone, string Outbox)> RecordedAsync(RegisteredCompany registered)
    {
        await using var db = app.Db();
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.TargetId == registered.CompanyId.ToString());
        var zone = await db.Companies.AsNoTracking().Where(c => c.Id == registered.CompanyId).Select(c => c.TimeZone).SingleAsync();
        var outbox = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Payload.Contains(registered.CompanyId.ToString()) || m.Payload.Contains(registered.AdminId.ToString()))
            .OrderBy(m => m.Kind).Select(m => m.Kind).ToListAsync();
        return (audit.Action, audit.ActorId, audit.Details, zone, string.Join(", ", outbox));
    }

    [Fact]
    public async Task Registering_is_audited_as_the_new_admins_and_asks_them_to_confirm_their_address()
    {
        var (code, _) = await IssueAsync();

        var registered = await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(new RegisterCompanyRequest(
            code.Code, " Acme Builders ", code.CompanyIdentificationNumber, AppFixture.Email("admin"), AppFixture.Password, "Alice Admin", " Europe/Madrid ")));

        Assert.Equal(
            ("company.registered", (Guid?)registered.AdminId, $"Acme Builders ({code.CompanyIdentificationNumber})", "Europe/Madrid", string.Join(", ", new[] { EmailConfirmationRequested.Kind, CompanyRegistered.Kind }.Order())),
            await RecordedAsync(registered));
    }

    [Fact]
    public async Task Support_creating_a_company_is_audited_as_theirs_and_mails_the_admin_a_link_to_set_a_password()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var number = AppFixture.Unique("CR").ToUpperInvariant();

        var created = await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(support, new CreateCompanyRequest("Beta Works", number, AppFixture.Email("admin"), "Bob Admin", "   ")));

        Assert.Equal(
            ("company.created", (Guid?)support.UserId, $"Beta Works ({number})", CompanyTime.Default, string.Join(", ", new[] { SetPasswordInvitation.Kind, CompanyRegistered.Kind }.Order())),
            await RecordedAsync(created));
    }

    [Fact]
    public async Task Support_gets_a_message_per_bad_field_and_for_a_taken_address_and_nothing_is_created()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var (taken, _) = await app.CreateUserAsync(Roles.Worker);
        var number = AppFixture.Unique("TK").ToUpperInvariant();

        var bad = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(support, new CreateCompanyRequest("", "", "nope", ""))));
        var takenAddress = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(support, new CreateCompanyRequest("Gamma", number, taken.Email!.ToUpperInvariant(), "Gina"))));

        Assert.Equal(["AdminDisplayName", "AdminEmail", "CompanyIdentificationNumber", "CompanyName"], bad.Errors.Keys.Order());
        Assert.Equal(["An account with this email already exists."], takenAddress.Errors["AdminEmail"]);
        await using var db = app.Db();
        Assert.False(await db.Companies.AnyAsync(c => c.IdentificationNumber == number));
    }

    [Fact]
    public async Task Registering_with_a_taken_address_is_refused_and_leaves_the_code_unused()
    {
        var (code, _) = await IssueAsync();
        var (taken, _) = await app.CreateUserAsync(Roles.Worker);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => RegisterAsync(code.Code, code.CompanyIdentificationNumber, taken.Email));

        Assert.Equal(["An account with this email already exists. Sign in, or use another email."], ex.Errors["AdminEmail"]);
        await AssertUnusedAsync(code.Id);
    }

    [Fact]
    public async Task A_taken_number_is_refused_by_the_database_and_the_same_unit_of_work_goes_on()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var number = AppFixture.Unique("DB").ToUpperInvariant();
        var loserEmail = AppFixture.Email("loser");

        var (refused, next) = await app.RunAsync<CompanyRegistrationService, (ValidationException, RegisteredCompany)>(async s =>
        {
            await s.CreateAsync(support, new CreateCompanyRequest("First", number, AppFixture.Email("admin"), "Admin"));
            var refused = await Assert.ThrowsAsync<ValidationException>(() => s.CreateAsync(support, new CreateCompanyRequest("Second", number, loserEmail, "Admin")));
            return (refused, await s.CreateAsync(support, new CreateCompanyRequest("Third", number + "X", AppFixture.Email("admin"), "Admin")));
        });

        Assert.Equal(["A company with this identification number is already registered."], refused.Errors["CompanyIdentificationNumber"]);
        await using var db = app.Db();
        Assert.False(await db.Users.AnyAsync(u => u.Email == loserEmail));
        Assert.Equal(["First", "Third"], await db.Companies.Where(c => c.IdentificationNumber.StartsWith(number)).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        Assert.Equal("Third", (await db.Companies.SingleAsync(c => c.Id == next.CompanyId)).Name);
    }

    [Fact]
    public async Task Concurrent_creations_for_one_admin_address_let_one_win_and_tell_the_others_the_address_is_taken()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var email = AppFixture.Email("shared");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(support, new CreateCompanyRequest($"Racer {i}", AppFixture.Unique("RC"), email, "Admin")));
                return null;
            }
            catch (ValidationException ex)
            {
                return ex;
            }
        }));

        Assert.Single(attempts, a => a is null);
        Assert.All(attempts.OfType<ValidationException>(), ex => Assert.Equal(["AdminEmail"], ex.Errors.Keys));
        await using var db = app.Db();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == email));
    }

    private async Task AssertUnusedAsync(Guid inviteId)
    {
        await using var db = app.Db();
        Assert.Null((await db.InviteCodes.SingleAsync(i => i.Id == inviteId)).RedeemedAt);
    }
}
