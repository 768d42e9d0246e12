using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Accounts;

/// <summary>Checks shared by every form that creates an account.</summary>
public static class AccountRules
{
    public static CiertoUser NewUser(string email, string displayName, Guid? companyId, UserStatus status, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserName = email,
        Email = email,
        DisplayName = displayName,
        CompanyId = companyId,
        Status = status,
        CreatedAt = now,
        Language = Localization.Languages.Current, // the language they signed up in (or their creator's): their mail is written in it
    };

    /// <summary>A fresh security stamp: every cookie and token issued under the old one stops working.</summary>
    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Turns an Identity failure (which should have been caught by validation) into field errors.</summary>
    public static void ThrowIfFailed(IdentityResult result, string field = "Email")
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new ValidationException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() });
        }
    }
}
