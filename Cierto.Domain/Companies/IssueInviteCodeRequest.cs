using Cierto.Domain.Common.Validation;
using Cierto.Domain.Localization;
using FluentValidation;

namespace Cierto.Domain.Companies;

/// <summary>Support issues an invite code for a company's identification number, valid for some days (14 when left out), optionally mailed.</summary>
public sealed record IssueInviteCodeRequest(string? CompanyIdentificationNumber, int? ExpiresInDays, string? Email = null);

public sealed class IssueInviteCodeRequestValidator : CiertoValidator<IssueInviteCodeRequest>
{
    public IssueInviteCodeRequestValidator()
    {
        RuleFor(r => r.CompanyIdentificationNumber).RequiredText("Company identification number", Company.IdentificationNumberMaxLength);
        RuleFor(r => r.ExpiresInDays)
            .InclusiveBetween(1, 365).WithMessage(_ => Texts.Get("Valid for (days) must be between 1 and 365."));
        RuleFor(r => r.Email).Email().When(r => !string.IsNullOrWhiteSpace(r.Email));
    }
}
