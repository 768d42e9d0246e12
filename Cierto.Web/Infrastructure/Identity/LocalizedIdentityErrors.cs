using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Identity;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>Identity's messages (password rules, taken addresses, expired links) in the reader's language.</summary>
internal sealed class LocalizedIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), Texts.Get("Something went wrong. Try again."));

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), Texts.Get("Someone else changed this account meanwhile. Try again."));

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), Texts.Get("The password is not correct."));

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), Texts.Get("This link has expired or was already used. Ask for a new one."));

    public override IdentityError RecoveryCodeRedemptionFailed() => Error(nameof(RecoveryCodeRedemptionFailed), Texts.Get("That recovery code is not valid."));

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), Texts.Get("Enter a valid email address, like name@example.com."));

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), Texts.Get("Enter a valid email address, like name@example.com."));

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), Texts.Get("An account with this email already exists."));

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), Texts.Get("An account with this email already exists."));

    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), Texts.Get("This account already has a password."));

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), Texts.Plural("Passwords must be at least {0} characters.", length));

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), Texts.Plural("Passwords must use at least {0} different characters.", uniqueChars));

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), Texts.Get("Passwords must have at least one character that is not a letter or digit."));

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), Texts.Get("Passwords must have at least one digit (0-9)."));

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), Texts.Get("Passwords must have at least one lowercase letter (a-z)."));

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), Texts.Get("Passwords must have at least one uppercase letter (A-Z)."));

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
