using Cierto.Domain.Common.Validation;
using Cierto.Domain.Companies;
using Cierto.Domain.Localization;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Cierto.Domain.Billing;

/// <summary>An order as the buyer fills it in: a plan on offer, the company and contact, and a way to pay that is available.</summary>
public sealed class OrderInputValidator : CiertoValidator<OrderInput>
{
    public OrderInputValidator(IOptions<BillingSettings> settings, ICardPayments cards)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cards);
        RuleFor(o => o.PlanId)
            .Must(id => settings.Value.Find(id) is not null).WithMessage(_ => Texts.Get("Choose one of the plans on the pricing page."));
        RuleFor(o => o.CompanyIdentificationNumber).RequiredText("Company identification number", Company.IdentificationNumberMaxLength);
        RuleFor(o => o.CompanyName).RequiredText("Company name", Company.NameMaxLength);
        RuleFor(o => o.ContactName).RequiredText("Contact name", Order.NameMaxLength);
        RuleFor(o => o.ContactEmail).Email("Contact email");
        RuleFor(o => Order.NormalizeLineBreaks(o.BillingAddress))
            .RequiredText("Billing address", Order.AddressMaxLength, multiline: true)
            .OverridePropertyName(nameof(OrderInput.BillingAddress));
        RuleFor(o => o.VatId).OptionalText("VAT id", Order.VatIdMaxLength);
        RuleFor(o => o.PaymentMethod)
            .Must(code => OrderStatusNames.ParseMethod(code) is not null).WithMessage(_ => Texts.Get("Choose how to pay: card or bank transfer."))
            .Must(code => OrderStatusNames.ParseMethod(code) != PaymentMethod.Card || cards.Enabled).WithMessage(_ => Texts.Get("Card payments are not available; choose bank transfer."));
    }
}
