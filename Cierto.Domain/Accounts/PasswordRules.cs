using Cierto.Domain.Users;
using FluentValidation;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Accounts;

public static class PasswordRules
{
    /// <summary>A new account's password: as typed (<see cref="Common.Validation.TextRules.Password"/>), then Identity's policy, every broken rule named.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> MeetsPolicy<T>(this IRuleBuilderOptions<T, string?> rule, UserManager<CiertoUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        return rule.CustomAsync(async (password, context, _) =>
        {
            foreach (var policy in users.PasswordValidators)
            {
                var result = await policy.ValidateAsync(users, new CiertoUser(), password!);
                foreach (var error in result.Errors)
                {
                    context.AddFailure(error.Description);
                }
            }
        });
    }
}
