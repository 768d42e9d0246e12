using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>
/// Identity checks an account's address with the same rule as every form (<see cref="TextRules.IsEmail"/>),
/// so an address a form accepted is never refused later in the background, and the reverse.
/// Identity's own user-name alphabet is switched off for that reason (the user name is the address).
/// </summary>
internal sealed class CiertoUserValidator : IUserValidator<CiertoUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<CiertoUser> manager, CiertoUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = new List<IdentityError>();
        if (user.Email is not { } email || !TextRules.IsEmail(email) || !Text.IsClean(email))
        {
            errors.Add(new IdentityError { Code = "InvalidEmail", Description = Domain.Localization.Texts.Get("Enter a valid email address, like name@example.com.") });
        }

        if (!Text.IsClean(user.DisplayName))
        {
            errors.Add(new IdentityError { Code = "InvalidDisplayName", Description = Text.NotAllowedMessage("Display name") });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }
}
