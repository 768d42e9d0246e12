namespace Cierto.Domain.Common;

/// <summary>
/// Bad input with a message per field, keyed by the field's name as the forms and the API
/// know it (e.g. "Email"). Nothing has been changed when this is thrown.
/// </summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("validation", string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field's error; <paramref name="message"/> is already in the reader's language.</summary>
    public static ValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}
