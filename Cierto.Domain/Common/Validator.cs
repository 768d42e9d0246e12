using System.Net.Mail;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Common;

/// <summary>Collects field errors, then throws them all at once.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public Validator Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>A required text, trimmed. <paramref name="label"/> is the field's English name (a resource key).</summary>
    public string Required(string field, string label, string? value, int maxLength, bool multiline = false)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            Add(field, Texts.Format("{0} is required.", Texts.Get(label)));
        }
        else if (trimmed.Length > maxLength)
        {
            Add(field, TooLong(label, maxLength));
        }
        else if (!Text.IsClean(trimmed, multiline))
        {
            Add(field, Text.NotAllowedMessage(label));
        }

        return trimmed;
    }

    /// <summary>An optional text: its length and characters are checked.</summary>
    public void Optional(string field, string label, string? value, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return;
        }

        if (value.Trim().Length > maxLength)
        {
            Add(field, TooLong(label, maxLength));
        }
        else if (!Text.IsClean(value, multiline))
        {
            Add(field, Text.NotAllowedMessage(label));
        }
    }

    public string Email(string field, string? value)
    {
        var email = Required(field, "Email", value, 256);
        if (email.Length is > 0 and <= 256 && Text.IsClean(email) && !IsEmail(email))
        {
            Add(field, Texts.Get("Enter a valid email address, like name@example.com."));
        }

        return email;
    }

    /// <summary>"Name must be at most 200 characters." for a label given in English.</summary>
    public static string TooLong(string label, int maxLength) => Texts.Format("{0} must be at most {1} characters.", Texts.Get(label), maxLength);

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    public static bool IsEmail(string value)
    {
        if (value.Any(char.IsWhiteSpace) || value.Count(c => c == '@') != 1)
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);
    }
}
