using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using FluentValidation;

namespace Cierto.Domain.Companies;

/// <summary>The rules of <see cref="INewCompany"/>, included by the validator of each way a company is made.</summary>
public sealed class NewCompanyValidator : CiertoValidator<INewCompany>
{
    public NewCompanyValidator()
    {
        RuleFor(c => c.CompanyName).RequiredText("Company name", Company.NameMaxLength);
        RuleFor(c => c.CompanyIdentificationNumber).RequiredText("Company identification number", Company.IdentificationNumberMaxLength);
        RuleFor(c => c.AdminEmail).Email();
        RuleFor(c => c.AdminDisplayName).RequiredText("Display name", CiertoUser.DisplayNameMaxLength);
        RuleFor(c => c.TimeZone)
            .Must(zone => string.IsNullOrWhiteSpace(zone) || CompanyTime.IsKnown(zone.Trim()))
            .WithMessage(_ => Texts.Get("Choose a time zone from the list, e.g. Europe/Berlin."));
    }
}
