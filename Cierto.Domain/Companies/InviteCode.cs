using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Companies;

public enum InviteCodeSource
{
    Support = 0,
    Purchase = 1,
}

/// <summary>
/// One-time permission to register the company with a given identification number. Only the
/// SHA-256 of the code is stored; the code itself is shown once, when it is issued.
/// </summary>
public sealed class InviteCode
{
    public const int CodeLength = 16;

    private InviteCode()
    {
    }

    private InviteCode(string codeHash, string identificationNumber, DateTimeOffset now, DateTimeOffset expiresAt, Guid? issuedById, InviteCodeSource source, string? sentToEmail)
    {
        Id = Guid.CreateVersion7(now);
        CodeHash = codeHash;
        IdentificationNumber = identificationNumber;
        CreatedAt = now;
        ExpiresAt = expiresAt;
        IssuedById = issuedById;
        Source = source;
        SentToEmail = sentToEmail;
    }

    public Guid Id { get; private set; }

    public string CodeHash { get; private set; } = string.Empty;

    public string IdentificationNumber { get; private set; } = string.Empty;

    public InviteCodeSource Source { get; private set; }

    public Guid? IssuedById { get; private set; }

    public string? SentToEmail { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    public Guid? RedeemedByCompanyId { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Makes a new code; the plain code is returned once and never stored.</summary>
    public static (InviteCode Invite, string PlainCode) Issue(string identificationNumber, TimeSpan validFor, DateTimeOffset now, Guid? issuedById, InviteCodeSource source, string? sentToEmail = null)
    {
        var normalizedNumber = Company.NormalizeIdentificationNumber(identificationNumber);
        if (normalizedNumber.Length == 0 || normalizedNumber.Length > Company.IdentificationNumberMaxLength)
        {
            throw new DomainException("invalid_identification_number", Texts.Format("Company identification number must be 1 to {0} characters.", Company.IdentificationNumberMaxLength));
        }

        if (validFor <= TimeSpan.Zero || validFor > TimeSpan.FromDays(365))
        {
            throw new DomainException("invalid_expiry", Texts.Get("An invite code must be valid for 1 to 365 days."));
        }

        var plain = Codes.Generate(CodeLength);
        return (new InviteCode(Codes.Hash(plain), normalizedNumber, now, now + validFor, issuedById, source, sentToEmail), plain);
    }

    public bool IsUsable(DateTimeOffset now) => RedeemedAt is null && RevokedAt is null && ExpiresAt > now;

    public void Revoke(DateTimeOffset now)
    {
        if (RedeemedAt is not null)
        {
            throw new DomainException("invite_code_redeemed", Texts.Get("This invite code has already been used and cannot be revoked."));
        }

        RevokedAt ??= now;
    }
}
