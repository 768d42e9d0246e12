using Cierto.Domain.Common;
using Cierto.Domain.Companies;

namespace Cierto.Tests.Domain.Rules;

/// <summary>The company's own rules, without a database.</summary>
public sealed class CompanyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_company_is_active_needs_approval_has_no_cap_keeps_utc_and_gets_a_join_code()
    {
        var company = new Company("  Acme Builders ", " de-123 45 ", Now);

        Assert.Equal(("Acme Builders", "DE12345"), (company.Name, company.IdentificationNumber));
        Assert.Equal((CompanyStatus.Active, JoinPolicy.ApprovalRequired, (int?)null, CompanyTime.Default, Now), (company.Status, company.JoinPolicy, company.MaxActiveItemsPerWorker, company.TimeZone, company.CreatedAt));
        Assert.Equal(Company.JoinCodeLength, company.JoinCode.Length);
        Assert.Null(company.FounderId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" - ")]
    public void An_identification_number_with_nothing_in_it_is_refused(string number)
    {
        var ex = Assert.Throws<DomainException>(() => new Company("Acme", number, Now));

        Assert.Equal(("invalid_identification_number", "Company identification number is required."), (ex.Code, ex.Message));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData(null)]
    public void A_name_is_one_to_200_characters(string? name)
    {
        var company = new Company("Acme", "DE1", Now);

        var blank = Assert.Throws<DomainException>(() => company.Rename(name!));
        Assert.Equal(("invalid_company_name", "Company name must be 1 to 200 characters."), (blank.Code, blank.Message));
        Assert.Equal("invalid_company_name", Assert.Throws<DomainException>(() => company.Rename(new string('n', Company.NameMaxLength + 1))).Code);
        company.Rename(new string('n', Company.NameMaxLength));
        Assert.Equal(Company.NameMaxLength, company.Name.Length);
    }

    [Fact]
    public void The_founder_is_set_once()
    {
        var company = new Company("Acme", "DE1", Now);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        company.FoundedBy(first);
        company.FoundedBy(second);

        Assert.Equal(first, company.FounderId);
    }

    [Fact]
    public void A_new_join_code_replaces_the_old_one()
    {
        var company = new Company("Acme", "DE1", Now);
        var old = company.JoinCode;

        company.RotateJoinCode();

        Assert.NotEqual(old, company.JoinCode);
        Assert.Equal(Company.JoinCodeLength, company.JoinCode.Length);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    [InlineData(null, true)]
    public void The_item_cap_is_1_to_1000_or_none(int? cap, bool allowed)
    {
        var company = new Company("Acme", "DE1", Now);
        company.SetActiveItemCap(5);

        if (allowed)
        {
            company.SetActiveItemCap(cap);
            Assert.Equal(cap, company.MaxActiveItemsPerWorker);
        }
        else
        {
            var ex = Assert.Throws<DomainException>(() => company.SetActiveItemCap(cap));
            Assert.Equal(("invalid_cap", "The cap must be between 1 and 1000, or empty for no cap."), (ex.Code, ex.Message));
            Assert.Equal(5, company.MaxActiveItemsPerWorker);
        }
    }

    [Fact]
    public void The_time_zone_is_one_from_the_list()
    {
        var company = new Company("Acme", "DE1", Now);

        company.SetTimeZone("Europe/Berlin");
        var ex = Assert.Throws<ValidationException>(() => company.SetTimeZone("Mars/Olympus"));

        Assert.Equal("Europe/Berlin", company.TimeZone);
        Assert.Equal(["Choose a time zone from the list, e.g. Europe/Berlin."], ex.Errors["TimeZone"]);
    }

    [Fact]
    public void Suspending_and_reactivating_switch_the_status()
    {
        var company = new Company("Acme", "DE1", Now);

        company.Suspend();
        Assert.Equal(CompanyStatus.Suspended, company.Status);
        company.Reactivate();
        Assert.Equal(CompanyStatus.Active, company.Status);
    }
}
