using System.Collections.Concurrent;
using System.Reflection;
using Cierto.Domain.Common;

namespace Cierto.Web.Api;

/// <summary>
/// Refuses control characters and unpaired surrogates in every text the API is given (query,
/// route and body strings) with a 400 naming the field, before any handler runs: no route has a
/// use for them, and PostgreSQL refuses NUL with an error.
/// </summary>
internal static class TextInputFilter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> TextProperties = new();

    /// <summary>Fields that are text areas: line breaks and tabs are allowed there.</summary>
    private static readonly HashSet<string> MultilineFields = new(StringComparer.Ordinal) { "description", "billingAddress" };

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var parameters = factory.MethodInfo.GetParameters();
        return async context =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            for (var i = 0; i < context.Arguments.Count && i < parameters.Length; i++)
            {
                Inspect(parameters[i].Name ?? $"arg{i}", context.Arguments[i], errors);
            }

            return errors.Count == 0
                ? await next(context)
                : ApiProblems.For(new ValidationException(errors));
        };
    }

    private static void Inspect(string name, object? value, Dictionary<string, string[]> errors)
    {
        switch (value)
        {
            case string text when !Text.IsClean(text, multiline: MultilineFields.Contains(name)):
                errors[name] = [Text.NotAllowedMessage(Label(name))];
                break;
            case not null when IsRequestModel(value.GetType()):
                foreach (var property in TextProperties.GetOrAdd(value.GetType(), TextPropertiesOf))
                {
                    var field = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                    if (property.GetValue(value) is string text && !Text.IsClean(text, multiline: MultilineFields.Contains(field)))
                    {
                        errors[field] = [Text.NotAllowedMessage(Label(field))];
                    }
                }

                break;
        }
    }

    private static bool IsRequestModel(Type type) => type.Namespace?.StartsWith("Cierto", StringComparison.Ordinal) == true && type.IsClass;

    private static PropertyInfo[] TextPropertiesOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string) && p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

    private static string Label(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}
