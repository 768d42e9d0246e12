using FluentValidation;
using FluentValidation.Results;

namespace Cierto.Domain.Common.Validation;

public static class ValidatorExtensions
{
    /// <summary>Throws every failure at once as Cierto's <see cref="Common.ValidationException"/> (the API's 400 <c>validation</c> and the forms' field messages).</summary>
    public static void ThrowIfInvalid<T>(this IValidator<T> validator, T instance)
    {
        ArgumentNullException.ThrowIfNull(validator);
        Throw(validator.Validate(instance));
    }

    /// <inheritdoc cref="ThrowIfInvalid{T}"/>
    public static async Task ThrowIfInvalidAsync<T>(this IValidator<T> validator, T instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validator);
        Throw(await validator.ValidateAsync(instance, cancellationToken));
    }

    /// <summary>The failures by field, in the order the rules found them.</summary>
    public static Dictionary<string, string[]> ByField(this ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray(), StringComparer.Ordinal);
    }

    private static void Throw(ValidationResult result)
    {
        if (!result.IsValid)
        {
            throw new Common.ValidationException(result.ByField());
        }
    }
}
