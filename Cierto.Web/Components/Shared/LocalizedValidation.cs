using System.ComponentModel.DataAnnotations;
using Cierto.Domain.Localization;

namespace Cierto.Web.Components.Shared;

// DataAnnotations read ErrorMessage as it is; these read it as a resource key (English), so the
// statically rendered forms (sign-in, join, register, buy) refuse input in the reader's language.

/// <summary><see cref="RequiredAttribute"/> whose message is in the reader's language.</summary>
public sealed class LocalizedRequiredAttribute : RequiredAttribute
{
    public override string FormatErrorMessage(string name) => Texts.Format(ErrorMessageString, name);
}

/// <summary><see cref="StringLengthAttribute"/> whose message is in the reader's language.</summary>
public sealed class LocalizedStringLengthAttribute(int maximumLength) : StringLengthAttribute(maximumLength)
{
    public override string FormatErrorMessage(string name) => Texts.Format(ErrorMessageString, name, MaximumLength, MinimumLength);
}

/// <summary>An email address (the same check as <see cref="EmailAddressAttribute"/>, which cannot be extended), message in the reader's language.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class LocalizedEmailAddressAttribute : DataTypeAttribute
{
    private static readonly EmailAddressAttribute Check = new();

    public LocalizedEmailAddressAttribute()
        : base(DataType.EmailAddress)
    {
    }

    public override bool IsValid(object? value) => Check.IsValid(value);

    public override string FormatErrorMessage(string name) => Texts.Format(ErrorMessageString, name);
}

/// <summary><see cref="CompareAttribute"/> whose message is in the reader's language.</summary>
public sealed class LocalizedCompareAttribute(string otherProperty) : CompareAttribute(otherProperty)
{
    public override string FormatErrorMessage(string name) => Texts.Format(ErrorMessageString, name, OtherPropertyDisplayName ?? OtherProperty);
}
