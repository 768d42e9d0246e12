using Cierto.Domain.Common;

namespace Cierto.Web.Components.Shared;

/// <summary>The per-field messages of a domain <see cref="ValidationException"/>, for MudBlazor inputs' Error and ErrorText.</summary>
public sealed class FieldErrors
{
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    public bool Has(string field) => errors.ContainsKey(field);

    public string? For(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public void Show(ValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        errors = exception.Errors;
    }

    public void Clear() => errors = new Dictionary<string, string[]>();
}
