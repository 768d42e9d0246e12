using Cierto.Domain.Accounts;
using Cierto.Domain.Common.Validation;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Users;

public sealed class CreateSupportRequestValidator : CiertoValidator<CreateSupportRequest>
{
    public CreateSupportRequestValidator(UserManager<CiertoUser> users)
    {
        RuleFor(r => r.Email).Email();
        RuleFor(r => r.DisplayName).RequiredText("Display name", CiertoUser.DisplayNameMaxLength);
        RuleFor(r => r.Password).Password().MeetsPolicy(users);
    }
}
