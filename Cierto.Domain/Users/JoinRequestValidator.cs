using Cierto.Domain.Accounts;
using Cierto.Domain.Common.Validation;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Users;

public sealed class JoinRequestValidator : CiertoValidator<JoinRequest>
{
    public const int JoinCodeMaxLength = 32;

    public JoinRequestValidator(UserManager<CiertoUser> users)
    {
        RuleFor(r => r.JoinCode).RequiredText("Join code", JoinCodeMaxLength);
        RuleFor(r => r.Email).Email();
        RuleFor(r => r.DisplayName).RequiredText("Display name", CiertoUser.DisplayNameMaxLength);
        RuleFor(r => r.Password).Password().MeetsPolicy(users);
    }
}
