using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Companies;

public enum InviteCodeState
{
    Active,
    Redeemed,
    Expired,
    Revoked,
}

public sealed record IssuedInviteCode(Guid Id, string Code, string CompanyIdentificationNumber, DateTimeOffset ExpiresAt);

public sealed record InviteCodeRow(Guid Id, string CompanyIdentificationNumber, InviteCodeState State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? SentToEmail, string? RedeemedByCompany);

/// <summary>Support (and Root) issue, list and revoke the one-time codes that let a company register.</summary>
public sealed class InviteCodeService(CiertoDbContext db, IValidator<IssueInviteCodeRequest> rules, TimeProvider time)
{
    public const int DefaultValidDays = 14;

    public async Task<IssuedInviteCode> IssueAsync(Actor actor, IssueInviteCodeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.RequireStaff();

        rules.ThrowIfInvalid(request);
        var number = Company.NormalizeIdentificationNumber(request.CompanyIdentificationNumber!.Trim());
        var days = request.ExpiresInDays ?? DefaultValidDays;
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (await db.Companies.AnyAsync(c => c.IdentificationNumber == number, cancellationToken))
        {
            throw ValidationException.For("CompanyIdentificationNumber", Texts.Get("A company with this identification number is already registered."));
        }

        var now = time.GetUtcNow();
        var (invite, plain) = InviteCode.Issue(number, TimeSpan.FromDays(days), now, actor.UserId, InviteCodeSource.Support, email);
        db.InviteCodes.Add(invite);
        db.Record(now, actor, null, "invite-code.issued", nameof(InviteCode), invite.Id, $"for {number}, expires {invite.ExpiresAt:O}");
        var formatted = Codes.Format(plain);
        if (email is not null)
        {
            db.Enqueue(new InviteCodeIssued(invite.Id, email, formatted, number, invite.ExpiresAt, Localization.Languages.Current), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return new IssuedInviteCode(invite.Id, formatted, number, invite.ExpiresAt);
    }

    public async Task<Paged<InviteCodeRow>> ListAsync(Actor actor, PageRequest page, string? search = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireStaff();
        var now = time.GetUtcNow();
        var query = db.InviteCodes.AsNoTracking();
        if (Text.SearchTerm(search) is { } term)
        {
            var number = Company.NormalizeIdentificationNumber(term);
            var upper = term.ToUpperInvariant(); // addresses are found whatever their case
            query = query.Where(i => i.IdentificationNumber.Contains(number) || (i.SentToEmail != null && i.SentToEmail.ToUpper().Contains(upper)));
        }

        var rows = await query
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => new
            {
                i.Id,
                i.IdentificationNumber,
                i.CreatedAt,
                i.ExpiresAt,
                i.RedeemedAt,
                i.RevokedAt,
                i.SentToEmail,
                Company = db.Companies.Where(c => c.Id == i.RedeemedByCompanyId).Select(c => c.Name).FirstOrDefault(),
            })
            .ToPagedAsync(page, cancellationToken);
        return rows.Map(r => new InviteCodeRow(r.Id, r.IdentificationNumber, StateOf(r.RedeemedAt, r.RevokedAt, r.ExpiresAt, now), r.CreatedAt, r.ExpiresAt, r.SentToEmail, r.Company));
    }

    public async Task RevokeAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        var invite = await db.InviteCodes.SingleOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new NotFoundException("Invite code");
        var now = time.GetUtcNow();
        invite.Revoke(now);
        db.Record(now, actor, null, "invite-code.revoked", nameof(InviteCode), invite.Id);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static InviteCodeState StateOf(DateTimeOffset? redeemedAt, DateTimeOffset? revokedAt, DateTimeOffset expiresAt, DateTimeOffset now) =>
        redeemedAt is not null ? InviteCodeState.Redeemed
        : revokedAt is not null ? InviteCodeState.Revoked
        : expiresAt <= now ? InviteCodeState.Expired
        : InviteCodeState.Active;
}
