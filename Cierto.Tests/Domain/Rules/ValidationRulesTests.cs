using Cierto.Domain.Billing;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Microsoft.Extensions.Options;

namespace Cierto.Tests.Domain.Rules;

/// <summary>
/// The validators of the domain's requests, without a database: which field fails, with which
/// message (the one forms, the API and imports show), and one message per field.
/// </summary>
public sealed class ValidationRulesTests
{
    private static readonly OrderInput GoodOrder = new("team", "DE-123", "Acme", "Ann Buyer", "ann@example.com", "Main St 1\r\nBerlin", null, "bank_transfer");

    [Theory]
    [InlineData(null, "Name is required.")]
    [InlineData("   ", "Name is required.")]
    [InlineData("Drill\u0000", "Name contains characters that are not allowed (control characters).")]
    [InlineData("Line\nbreak", "Name contains characters that are not allowed (control characters).")]
    public void A_name_must_be_there_and_clean(string? name, string message) =>
        Assert.Equal(new[] { message }, Errors(new EquipmentInputValidator(), new EquipmentInput(name, null, null, null))["Name"]);

    [Fact]
    public void Lengths_count_the_trimmed_text_and_stop_at_the_first_failure()
    {
        var fits = new EquipmentInput("  " + new string('n', EquipmentItem.NameMaxLength) + "  ", null, null, new string('d', EquipmentItem.DescriptionMaxLength));
        var over = new EquipmentInput(new string('n', EquipmentItem.NameMaxLength + 1) + "\u0001", null, null, new string('d', EquipmentItem.DescriptionMaxLength + 1));

        Assert.Empty(Errors(new EquipmentInputValidator(), fits));
        var errors = Errors(new EquipmentInputValidator(), over);
        Assert.Equal(["Name must be at most 200 characters."], errors["Name"]);
        Assert.Equal(["Description must be at most 2000 characters."], errors["Description"]);
    }

    [Fact]
    public void Optional_fields_may_be_left_out_and_a_description_may_span_lines()
    {
        Assert.Empty(Errors(new EquipmentInputValidator(), new EquipmentInput("Drill", null, null, "Red case\r\nwith bits\tand a key")));
        Assert.Equal(["Inventory number contains characters that are not allowed (control characters)."], Errors(new EquipmentInputValidator(), new EquipmentInput("Drill", "A\n1", null, null))["InventoryNumber"]);
        Assert.Equal(["Category contains characters that are not allowed (control characters)."], Errors(new EquipmentInputValidator(), new EquipmentInput("Drill", null, "Saws\t", null))["Category"]);
    }

    [Theory]
    [InlineData("ann@example.com", true)]
    [InlineData("  ann@example.com  ", true)]
    [InlineData("ann@localhost", false)]
    [InlineData("ann@@example.com", false)]
    [InlineData("Ann <ann@example.com>", false)]
    [InlineData("ann", false)]
    public void An_email_is_one_address_with_a_dotted_domain(string email, bool valid)
    {
        var errors = Errors(new NewCompanyValidator(), new CreateCompanyRequest("Acme", "DE-1", email, "Ann"));

        Assert.Equal(valid, !errors.ContainsKey("AdminEmail"));
        if (!valid)
        {
            Assert.Equal(["Enter a valid email address, like name@example.com."], errors["AdminEmail"]);
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(" ", true)]
    [InlineData("Europe/Berlin", true)]
    [InlineData(" America/New_York ", true)]
    [InlineData("Mars/Olympus", false)]
    public void A_company_time_zone_is_one_from_the_list_or_none(string? zone, bool valid)
    {
        var errors = Errors(new CreateCompanyRequestValidator(), new CreateCompanyRequest("Acme", "DE-1", "ann@example.com", "Ann", zone));

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Equal(["Choose a time zone from the list, e.g. Europe/Berlin."], errors["TimeZone"]);
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(365, true)]
    [InlineData(366, false)]
    [InlineData(null, true)]
    public void An_invite_code_is_valid_for_one_to_365_days(int? days, bool valid)
    {
        var errors = Errors(new IssueInviteCodeRequestValidator(), new IssueInviteCodeRequest("DE-1", days, null));

        Assert.Equal(valid, !errors.ContainsKey("ExpiresInDays"));
        if (!valid)
        {
            Assert.Equal(["Valid for (days) must be between 1 and 365."], errors["ExpiresInDays"]);
        }
    }

    [Fact]
    public void A_new_companys_fields_are_named_in_their_messages()
    {
        var errors = Errors(new CreateCompanyRequestValidator(), new CreateCompanyRequest(" ", null, "ann@example.com", ""));

        Assert.Equal(["Company name is required."], errors["CompanyName"]);
        Assert.Equal(["Company identification number is required."], errors["CompanyIdentificationNumber"]);
        Assert.Equal(["Display name is required."], errors["AdminDisplayName"]);
        Assert.Equal(["Company identification number is required."], Errors(new IssueInviteCodeRequestValidator(), new IssueInviteCodeRequest("  ", 7, null))["CompanyIdentificationNumber"]);
    }

    [Fact]
    public void An_invite_codes_address_is_checked_only_when_given()
    {
        Assert.Empty(Errors(new IssueInviteCodeRequestValidator(), new IssueInviteCodeRequest("DE-1", 7, "  ")));
        Assert.Equal(["Enter a valid email address, like name@example.com."], Errors(new IssueInviteCodeRequestValidator(), new IssueInviteCodeRequest("DE-1", 7, "nobody"))["Email"]);
    }

    [Fact]
    public void An_order_names_a_plan_on_offer_and_a_way_to_pay_that_is_available()
    {
        Assert.Empty(Errors(Orders(), GoodOrder));
        Assert.Equal(["Choose one of the plans on the pricing page."], Errors(Orders(), GoodOrder with { PlanId = "gold" })["PlanId"]);
        Assert.Equal(["Choose how to pay: card or bank transfer."], Errors(Orders(), GoodOrder with { PaymentMethod = "cash" })["PaymentMethod"]);
        Assert.Equal(["Card payments are not available; choose bank transfer."], Errors(Orders(), GoodOrder with { PaymentMethod = "card" })["PaymentMethod"]);
    }

    [Fact]
    public void An_orders_address_is_measured_with_one_character_per_line_break()
    {
        var lines = string.Join("\r\n", Enumerable.Repeat(new string('a', 99), 5)); // 495 characters + 4 CRLF: 503 as sent, 499 as stored

        Assert.Empty(Errors(Orders(), GoodOrder with { BillingAddress = lines }));
        Assert.Equal(["Billing address must be at most 500 characters."], Errors(Orders(), GoodOrder with { BillingAddress = lines + "\r\nab" })["BillingAddress"]);
        Assert.Equal(["Contact email is required."], Errors(Orders(), GoodOrder with { ContactEmail = null })["ContactEmail"]);
    }

    [Fact]
    public void A_force_release_needs_a_reason_of_at_most_500_characters()
    {
        Assert.Equal(["Reason is required."], Errors(new ForceReleaseRequestValidator(), new ForceReleaseRequest(" "))["Reason"]);
        Assert.Equal([TextRules.TooLong("Reason", UsageSession.ReasonMaxLength)], Errors(new ForceReleaseRequestValidator(), new ForceReleaseRequest(new string('r', UsageSession.ReasonMaxLength + 1)))["Reason"]);
        Assert.Empty(Errors(new ForceReleaseRequestValidator(), new ForceReleaseRequest("Needed on site B")));
    }

    [Fact]
    public void Throwing_gives_every_field_at_once_as_the_domains_validation_error()
    {
        var ex = Assert.Throws<Cierto.Domain.Common.ValidationException>(() =>
            new EquipmentInputValidator().ThrowIfInvalid(new EquipmentInput(null, new string('i', 65), null, null)));

        Assert.Equal("validation", ex.Code);
        Assert.Equal(["InventoryNumber", "Name"], ex.Errors.Keys.Order());
    }

    private static OrderInputValidator Orders() => new(
        Options.Create(new BillingSettings { Plans = [new Plan { Id = "team", Name = "Team", Price = 99 }] }),
        new NoCardPayments());

    private static Dictionary<string, string[]> Errors<T>(FluentValidation.IValidator<T> validator, T instance) =>
        validator.Validate(instance).ByField();
}
