using System.Net.Mail;
using Cierto.Domain.Localization;
using FluentValidation;

namespace Cierto.Domain.Common.Validation;

/// <summary>
/// The rules every text field follows, with the one set of messages that forms, the API and
/// imports show. A <c>label</c> is the field's English name (a resource key); messages are made
/// when a value fails, so they are in the reader's language.
/// </summary>
public static class TextRules
{
    public const int EmailMaxLength = 256;

    public const int PasswordMaxLength = 128;

    /// <summary>Required, at most <paramref name="maxLength"/> characters once trimmed, no control characters (line breaks only when <paramref name="multiline"/>).</summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, string label, int maxLength, bool multiline = false) =>
        rule.Filled(label)
            .Must(value => value!.Trim().Length <= maxLength).WithMessage(_ => TooLong(label, maxLength))
            .Must(value => Text.IsClean(value!.Trim(), multiline)).WithMessage(_ => Text.NotAllowedMessage(label));

    /// <summary>Not empty nor only spaces: "Name is required."</summary>
    public static IRuleBuilderOptions<T, string?> Filled<T>(this IRuleBuilder<T, string?> rule, string label) =>
        rule.Must(value => !string.IsNullOrWhiteSpace(value)).WithMessage(_ => Texts.Format("{0} is required.", Texts.Get(label)));

    /// <summary>May be left out; when given, the same length and character rules as <see cref="RequiredText"/>.</summary>
    public static IRuleBuilderOptions<T, string?> OptionalText<T>(this IRuleBuilder<T, string?> rule, string label, int maxLength, bool multiline = false) =>
        rule.Must(value => value is null || value.Trim().Length <= maxLength).WithMessage(_ => TooLong(label, maxLength))
            .Must(value => Text.IsClean(value, multiline)).WithMessage(_ => Text.NotAllowedMessage(label));

    /// <summary>A required email address (see <see cref="IsEmail"/>).</summary>
    public static IRuleBuilderOptions<T, string?> Email<T>(this IRuleBuilder<T, string?> rule, string label = "Email") =>
        rule.RequiredText(label, EmailMaxLength)
            .Must(value => IsEmail(value!.Trim())).WithMessage(_ => Texts.Get("Enter a valid email address, like name@example.com."));

    /// <summary>A password as typed: required and at most 128 characters (the account's policy is checked where accounts are made).</summary>
    public static IRuleBuilderOptions<T, string?> Password<T>(this IRuleBuilder<T, string?> rule, string label = "Password") =>
        rule.Must(value => !string.IsNullOrEmpty(value)).WithMessage(_ => Texts.Format("{0} is required.", Texts.Get(label)))
            .Must(value => value!.Length <= PasswordMaxLength).WithMessage(_ => TooLong(label, PasswordMaxLength));

    /// <summary>"Name must be at most 200 characters." for a label given in English.</summary>
    public static string TooLong(string label, int maxLength) => Texts.Format("{0} must be at most {1} characters.", Texts.Get(label), maxLength);

    /// <summary>One address with a dotted domain, nothing around it: what a person means by "an email address".</summary>
    public static bool IsEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Any(char.IsWhiteSpace) || value.Count(c => c == '@') != 1)
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);
    }
}
