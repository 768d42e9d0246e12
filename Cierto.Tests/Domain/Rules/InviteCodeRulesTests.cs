using Cierto.Domain.Common;
using Cierto.Domain.Companies;

namespace Cierto.Tests.Domain.Rules;

/// <summary>The invite code's own rules, without a database: what is stored, how long it works, and revoking.</summary>
public sealed class InviteCodeRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_the_hash_of_the_code_is_kept_with_the_normalised_number_and_its_expiry()
    {
        var support = Guid.NewGuid();

        var (invite, plain) = InviteCode.Issue(" de-123 ", TimeSpan.FromDays(14), Now, support, InviteCodeSource.Support, "ann@example.com");

        Assert.Equal(InviteCode.CodeLength, plain.Length);
        Assert.Equal(Codes.Hash(plain), invite.CodeHash);
        Assert.DoesNotContain(plain, invite.CodeHash, StringComparison.Ordinal);
        Assert.Equal(("DE123", Now, Now.AddDays(14), support, InviteCodeSource.Support, "ann@example.com"), (invite.IdentificationNumber, invite.CreatedAt, invite.ExpiresAt, invite.IssuedById, invite.Source, invite.SentToEmail));
        Assert.NotEqual(plain, InviteCode.Issue("DE123", TimeSpan.FromDays(1), Now, null, InviteCodeSource.Purchase).PlainCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--")]
    [InlineData("123456789012345678901234567890123")]
    public void The_number_must_be_1_to_32_characters(string number)
    {
        var ex = Assert.Throws<DomainException>(() => InviteCode.Issue(number, TimeSpan.FromDays(1), Now, null, InviteCodeSource.Support));

        Assert.Equal(("invalid_identification_number", "Company identification number must be 1 to 32 characters."), (ex.Code, ex.Message));
    }

    [Fact]
    public void A_number_of_exactly_32_characters_is_kept_whole() =>
        Assert.Equal(new string('7', 32), InviteCode.Issue(new string('7', 32), TimeSpan.FromDays(1), Now, null, InviteCodeSource.Support).Invite.IdentificationNumber);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(365 * 24, true)]
    [InlineData(365 * 24 + 1, false)]
    public void A_code_is_valid_for_up_to_a_year(int hours, bool allowed)
    {
        var issue = () => InviteCode.Issue("DE1", TimeSpan.FromHours(hours), Now, null, InviteCodeSource.Support);

        if (allowed)
        {
            Assert.Equal(Now.AddHours(hours), issue().Invite.ExpiresAt);
        }
        else
        {
            Assert.Equal(("invalid_expiry", "An invite code must be valid for 1 to 365 days."), (Assert.Throws<DomainException>(() => issue()).Code, Assert.Throws<DomainException>(() => issue()).Message));
        }
    }

    [Fact]
    public void A_code_works_until_it_expires_or_is_revoked_and_revoking_keeps_the_first_time()
    {
        var (invite, _) = InviteCode.Issue("DE1", TimeSpan.FromDays(1), Now, null, InviteCodeSource.Support);

        Assert.True(invite.IsUsable(Now.AddHours(23)));
        Assert.False(invite.IsUsable(Now.AddDays(1)));
        invite.Revoke(Now.AddHours(1));
        invite.Revoke(Now.AddHours(2));

        Assert.False(invite.IsUsable(Now.AddHours(3)));
        Assert.Equal(Now.AddHours(1), invite.RevokedAt);
    }

    [Fact]
    public void A_codes_state_is_redeemed_before_revoked_before_expired_and_it_expires_at_its_expiry_instant()
    {
        var expires = Now.AddDays(1);

        Assert.Equal(InviteCodeState.Redeemed, InviteCodeService.StateOf(Now, Now, Now, expires));
        Assert.Equal(InviteCodeState.Revoked, InviteCodeService.StateOf(null, Now, Now, expires));
        Assert.Equal(InviteCodeState.Expired, InviteCodeService.StateOf(null, null, expires, expires));
        Assert.Equal(InviteCodeState.Active, InviteCodeService.StateOf(null, null, expires, expires.AddTicks(-10)));
    }

    [Theory]
    [InlineData("en", "active", "redeemed", "expired", "revoked", "suspended")]
    [InlineData("ru", "активен", "использован", "истёк", "отозван", "приостановлена")]
    public void States_read_in_the_users_language(string language, string active, string redeemed, string expired, string revoked, string suspended)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(language);
        try
        {
            Assert.Equal(
                [active, redeemed, expired, revoked, active, suspended],
                [
                    StatusNames.Describe(InviteCodeState.Active), StatusNames.Describe(InviteCodeState.Redeemed), StatusNames.Describe(InviteCodeState.Expired),
                    StatusNames.Describe(InviteCodeState.Revoked), StatusNames.Describe(CompanyStatus.Active), StatusNames.Describe(CompanyStatus.Suspended),
                ]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
