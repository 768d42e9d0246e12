using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>Support's invite codes on PostgreSQL: what issuing records and mails, how the list finds and describes codes, and revoking.</summary>
public sealed class InviteCodeServiceTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Issuing_audits_the_code_mails_it_only_when_an_address_is_given_and_lasts_fourteen_days_by_default()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var number = AppFixture.Unique("IC").ToUpperInvariant();

        var mailed = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(number, null, "  Buyer@Example.com ")));
        var quiet = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(number + "Q", 3, "   ")));

        await using var db = app.Db();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == mailed.Id.ToString() || a.TargetId == quiet.Id.ToString()).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["invite-code.issued", "invite-code.issued"], audit.Select(a => a.Action));
        Assert.Equal((support.UserId, "InviteCode"), (audit[0].ActorId!.Value, audit[0].TargetType));
        Assert.StartsWith($"for {number}, expires ", audit[0].Details, StringComparison.Ordinal);
        var stored = await db.InviteCodes.AsNoTracking().SingleAsync(i => i.Id == mailed.Id);
        Assert.Equal(("Buyer@Example.com", TimeSpan.FromDays(InviteCodeService.DefaultValidDays)), (stored.SentToEmail, stored.ExpiresAt - stored.CreatedAt));
        var quietStored = await db.InviteCodes.AsNoTracking().SingleAsync(i => i.Id == quiet.Id);
        Assert.Equal(((string?)null, TimeSpan.FromDays(3)), (quietStored.SentToEmail, quietStored.ExpiresAt - quietStored.CreatedAt));
        var mails = await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == InviteCodeIssued.Kind && (m.Payload.Contains(mailed.Id.ToString()) || m.Payload.Contains(quiet.Id.ToString()))).ToListAsync();
        Assert.Contains(mailed.Id.ToString(), Assert.Single(mails).Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_finds_codes_by_number_or_address_in_any_case_newest_first_with_their_state()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var tag = AppFixture.Unique("L").ToUpperInvariant()[..10];
        var first = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(tag + "A", 5, $"{tag}@Example.com")));
        var second = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(tag + "B", 5)));
        await app.RunAsync<InviteCodeService>(s => s.RevokeAsync(support, second.Id));

        var byNumber = await app.RunAsync<InviteCodeService, Paged<InviteCodeRow>>(s => s.ListAsync(support, new PageRequest(1, 10), tag.ToLowerInvariant()));
        var byAddress = await app.RunAsync<InviteCodeService, Paged<InviteCodeRow>>(s => s.ListAsync(support, new PageRequest(1, 10), $"{tag.ToLowerInvariant()}@example"));

        Assert.Equal([(second.Id, InviteCodeState.Revoked), (first.Id, InviteCodeState.Active)], byNumber.Items.Select(r => (r.Id, r.State)));
        Assert.Equal([first.Id], byAddress.Items.Select(r => r.Id));
        await using var db = app.Db();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "invite-code.revoked" && a.TargetId == second.Id.ToString() && a.ActorId == support.UserId));
    }

    [Fact]
    public async Task Only_staff_revoke_and_an_unknown_code_is_not_found()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var (_, _, admin) = await app.CreateCompanyAsync();
        var code = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(AppFixture.Unique("R"), 5)));

        await Assert.ThrowsAsync<ForbiddenException>(() => app.RunAsync<InviteCodeService>(s => s.RevokeAsync(admin, code.Id)));
        Assert.Equal("Invite code was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => app.RunAsync<InviteCodeService>(s => s.RevokeAsync(support, Guid.NewGuid())))).Message);
        await using var db = app.Db();
        Assert.Null((await db.InviteCodes.AsNoTracking().SingleAsync(i => i.Id == code.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_redeemed_code_is_listed_with_the_company_that_used_it()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var tag = AppFixture.Unique("RD").ToUpperInvariant()[..12];
        var used = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(tag + "U", 5)));
        var unused = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new IssueInviteCodeRequest(tag + "F", 5)));
        await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(
            new RegisterCompanyRequest(used.Code, $"{tag} Scaffolding", used.CompanyIdentificationNumber, AppFixture.Email("admin"), AppFixture.Password, "Admin")));

        var rows = await app.RunAsync<InviteCodeService, Paged<InviteCodeRow>>(s => s.ListAsync(support, new PageRequest(1, 10), tag));

        Assert.Equal(
            [(unused.Id, InviteCodeState.Active, (string?)null), (used.Id, InviteCodeState.Redeemed, $"{tag} Scaffolding")],
            rows.Items.Select(r => (r.Id, r.State, r.RedeemedByCompany)));
    }
}

