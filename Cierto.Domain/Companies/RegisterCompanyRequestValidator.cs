using Cierto.Domain.Accounts;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Companies;

public sealed class RegisterCompanyRequestValidator : CiertoValidator<RegisterCompanyRequest>
{
    public const int InviteCodeMaxLength = 64;

    public RegisterCompanyRequestValidator(UserManager<CiertoUser> users)
    {
        RuleFor(r => r.InviteCode).RequiredText("Invite code", InviteCodeMaxLength);
        Include(new NewCompanyValidator());
        RuleFor(r => r.AdminPassword).Password().MeetsPolicy(users);
    }
}
