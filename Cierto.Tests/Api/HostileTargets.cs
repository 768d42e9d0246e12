using System.Reflection;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Api;

/// <summary>Where a hostile value goes: a JSON body property, the query, a route value, a posted form field.</summary>
public enum FieldPlace
{
    Json,
    Query,
    Route,
    Form,
}

/// <summary>
/// One field of one request: <paramref name="Text"/> fields take any text (the app must clean them),
/// typed ones (ids, dates, numbers, route values with a constraint) must be parsed first.
/// <paramref name="Declared"/> is false for the extra query parameter every request also gets, so an
/// endpoint without parameters is still exercised.
/// </summary>
public sealed record HostileField(string Name, FieldPlace Place, bool Text, bool Declared = true);

/// <summary>
/// A request the app takes, as one role, with a valid value in every field; a probe replaces one field
/// with a hostile value. <paramref name="Endpoint"/> is the data source's endpoint it exercises.
/// </summary>
public sealed record HostileTarget(
    Endpoint Endpoint,
    string Role,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> RouteValues,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, JsonElement>? Json,
    IReadOnlyList<KeyValuePair<string, string>>? Form,
    IReadOnlyList<HostileField> Fields)
{
    public bool IsApi => Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase);

    /// <summary>For a form: the page that rendered it (where a new client gets its antiforgery token).</summary>
    public string? FoundOn { get; init; }

    public override string ToString() => $"{Method} {Path} as {Role}";
}

/// <summary>
/// Enumerates what the app serves — the endpoint data source, the OpenAPI document for the API's
/// parameters and body schemas, and the forms the pages render — into requests to make hostile.
/// Nothing here lists a route by hand: a route added tomorrow is found the same way.
/// </summary>
public static class HostileTargets
{
    public const string Anonymous = "anonymous";

    /// <summary>The parameter every request also gets, so that parameterless endpoints are exercised too.</summary>
    public const string ExtraParameter = "hostile";

    public static readonly string[] AllRoles = [Roles.Worker, Roles.CompanyAdmin, Roles.Support, Roles.Root];

    /// <summary>The route endpoints of the app, as the router sees them.</summary>
    public static IReadOnlyList<RouteEndpoint> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    public static string Describe(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is null ? "*" : string.Join(",", methods))} /{(endpoint as RouteEndpoint)?.RoutePattern.RawText?.TrimStart('/')}";
    }

    /// <summary>The roles whose members may call the endpoint (its policies' role requirements), or anonymous.</summary>
    public static async Task<IReadOnlyList<string>> RolesAsync(IServiceProvider services, Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return [Anonymous];
        }

        var policy = await AuthorizationPolicy.CombineAsync(
            services.GetRequiredService<IAuthorizationPolicyProvider>(),
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        if (policy is null)
        {
            return [Anonymous];
        }

        IEnumerable<string> roles = AllRoles;
        foreach (var requirement in policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>())
        {
            roles = roles.Intersect(requirement.AllowedRoles);
        }

        var authenticated = policy.Requirements.Any(r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement or Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement);
        return authenticated ? roles.ToList() : [Anonymous];
    }

    public static bool IsPage(Endpoint endpoint) => endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;

    public static bool IsStaticAsset(Endpoint endpoint) => endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;

    /// <summary>A page: its route values, its <c>[SupplyParameterFromQuery]</c> parameters, and the extra one.</summary>
    public static HostileTarget Page(RouteEndpoint endpoint, string role, Func<RouteEndpoint, string, string> routeValue, IReadOnlyDictionary<string, string> baseQuery)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(routeValue);
        var component = endpoint.Metadata.GetRequiredMetadata<ComponentTypeMetadata>().Type;
        var fields = RouteFields(endpoint).ToList();
        var query = new Dictionary<string, string>(baseQuery, StringComparer.Ordinal);
        foreach (var property in component.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (property.GetCustomAttribute<SupplyParameterFromQueryAttribute>() is { } supplied)
            {
                var name = supplied.Name ?? property.Name;
                var text = property.PropertyType == typeof(string) || property.PropertyType == typeof(string[]);
                fields.Add(new HostileField(name, FieldPlace.Query, text));
                query.TryAdd(name, text ? "x" : BaseOf(property.PropertyType));
            }
        }

        fields.Add(new HostileField(ExtraParameter, FieldPlace.Query, Text: true, Declared: false));
        query[ExtraParameter] = "x";
        var routeValues = RouteValuesOf(endpoint, routeValue);
        return new HostileTarget(endpoint, role, "GET", Fill(endpoint), routeValues, query, null, null, fields);
    }

    /// <summary>
    /// An endpoint outside the OpenAPI document (exports, calendar feed, health, the framework's
    /// own): its route values and query parameters from its parameter binding metadata.
    /// </summary>
    public static HostileTarget Minimal(RouteEndpoint endpoint, string role, Func<RouteEndpoint, string, string> routeValue)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(routeValue);
        var fields = RouteFields(endpoint).ToList();
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            var info = parameter.ParameterInfo;
            if (route.Contains(parameter.Name) || info.GetCustomAttribute<FromFormAttribute>() is not null || info.GetCustomAttribute<FromServicesAttribute>() is not null)
            {
                continue; // route values above; form fields come with the forms that post them
            }

            var type = Nullable.GetUnderlyingType(info.ParameterType) ?? info.ParameterType;
            if (type == typeof(string) || parameter.HasTryParse)
            {
                fields.Add(new HostileField(parameter.Name, FieldPlace.Query, type == typeof(string)));
                query[parameter.Name] = type == typeof(string) ? "x" : BaseOf(type);
            }
        }

        fields.Add(new HostileField(ExtraParameter, FieldPlace.Query, Text: true, Declared: false));
        query[ExtraParameter] = "x";
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        var method = methods?.FirstOrDefault(m => m != "HEAD") ?? "GET";
        var routeValues = RouteValuesOf(endpoint, routeValue);
        return new HostileTarget(endpoint, role, method, Fill(endpoint), routeValues, query, null, null, fields);
    }

    /// <summary>An API operation of the OpenAPI document: its path and query parameters and its JSON body's properties, from the schemas.</summary>
    public static HostileTarget Api(RouteEndpoint endpoint, string role, JsonElement document, JsonElement operation, string method, Func<RouteEndpoint, string, string> routeValue)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(routeValue);
        var fields = new List<HostileField>();
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var constrained = endpoint.RoutePattern.Parameters.Where(p => p.ParameterPolicies.Count > 0).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray())
            {
                var name = parameter.GetProperty("name").GetString()!;
                var schema = Resolve(document, parameter.GetProperty("schema"));
                switch (parameter.GetProperty("in").GetString())
                {
                    case "path":
                        fields.Add(new HostileField(name, FieldPlace.Route, IsText(schema) && !constrained.Contains(name)));
                        break;
                    case "query":
                        fields.Add(new HostileField(name, FieldPlace.Query, IsText(schema)));
                        query[name] = JsonBase(name, schema).ToString();
                        break;
                }
            }
        }

        Dictionary<string, JsonElement>? json = null;
        if (operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var content))
        {
            json = [];
            var schema = Resolve(document, content.GetProperty("schema"));
            foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            {
                var propertySchema = Resolve(document, property.Value);
                json[property.Name] = JsonBase(property.Name, propertySchema);
                fields.Add(new HostileField(property.Name, FieldPlace.Json, IsText(propertySchema)));
            }
        }

        fields.Add(new HostileField(ExtraParameter, FieldPlace.Query, Text: true, Declared: false));
        query[ExtraParameter] = "x";
        var routeValues = RouteValuesOf(endpoint, routeValue);
        return new HostileTarget(endpoint, role, method, Fill(endpoint), routeValues, query, json, null, fields);
    }

    /// <summary>
    /// The forms a page renders for static server rendering (<c>method="post"</c>): every named input,
    /// text area and select with the value it is rendered with (or a valid one), antiforgery token included.
    /// </summary>
    public static IReadOnlyList<(string Action, IReadOnlyList<KeyValuePair<string, string>> Fields)> Forms(string html, string pagePath)
    {
        var document = new HtmlParser().ParseDocument(html);
        var forms = new List<(string, IReadOnlyList<KeyValuePair<string, string>>)>();
        foreach (var form in document.QuerySelectorAll("form").OfType<IHtmlFormElement>().Where(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)))
        {
            var fields = new List<KeyValuePair<string, string>>();
            foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
            {
                var name = element.GetAttribute("name")!;
                var type = element.GetAttribute("type")?.ToLowerInvariant() ?? "text";
                if (type is "submit" or "button" or "image" or "file" || fields.Any(f => f.Key == name))
                {
                    continue;
                }

                var value = element switch
                {
                    IHtmlSelectElement select => select.Options.Length > 0 ? select.Options[0].Value : string.Empty,
                    IHtmlTextAreaElement => "Some text",
                    _ => element.GetAttribute("value") is { Length: > 0 } given ? given : FormBase(name, type),
                };
                fields.Add(KeyValuePair.Create(name, value));
            }

            var action = form.GetAttribute("action");
            forms.Add((string.IsNullOrEmpty(action) ? pagePath : new Uri(new Uri("http://localhost" + pagePath), action).PathAndQuery, fields));
        }

        return forms;
    }

    public static HostileTarget Form(Endpoint endpoint, string role, string action, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(fields);
        var uri = new Uri(new Uri("http://localhost"), action);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new HostileTarget(endpoint, role, "POST", uri.AbsolutePath, new Dictionary<string, string>(), query, null, fields, fields.Select(f => new HostileField(f.Key, FieldPlace.Form, Text: true)).ToList());
    }

    private static IEnumerable<HostileField> RouteFields(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.Parameters.Select(p => new HostileField(p.Name, FieldPlace.Route, p.ParameterPolicies.Count == 0));

    private static Dictionary<string, string> RouteValuesOf(RouteEndpoint endpoint, Func<RouteEndpoint, string, string> routeValue) =>
        endpoint.RoutePattern.Parameters.ToDictionary(p => p.Name, p => routeValue(endpoint, p.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>The route with a placeholder <c>{name}</c> per route value, filled in when a probe is sent.</summary>
    private static string Fill(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        })));
        return "/" + string.Join('/', segments);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var node = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(part);
            }

            schema = node;
        }

        return schema;
    }

    private static IEnumerable<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? [] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];

    /// <summary>A string without a format (uuid, date-time…) and without an enumeration is free text.</summary>
    private static bool IsText(JsonElement schema) =>
        Types(schema).Contains("string") && !Types(schema).Contains("integer") && !Types(schema).Contains("number") && !Types(schema).Contains("boolean")
        && !schema.TryGetProperty("format", out _) && !schema.TryGetProperty("enum", out _);

    private static JsonElement JsonBase(string name, JsonElement schema)
    {
        var types = Types(schema).ToList();
        string json;
        if (schema.TryGetProperty("enum", out var values))
        {
            json = values.EnumerateArray().First(v => v.ValueKind != JsonValueKind.Null).GetRawText();
        }
        else if (types.Contains("integer") || types.Contains("number"))
        {
            json = "1";
        }
        else if (types.Contains("boolean"))
        {
            json = "false";
        }
        else if (types.Contains("array"))
        {
            json = "[]";
        }
        else
        {
            var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            json = JsonSerializer.Serialize(format switch
            {
                "uuid" => Guid.NewGuid().ToString(),
                "date-time" => DateTimeOffset.UtcNow.AddDays(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                "date" => DateOnly.FromDateTime(DateTime.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                _ => TextBase(name),
            });
        }

        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static string FormBase(string name, string type) =>
        type == "password" ? "Wrong-password-1" : type == "email" ? "someone@example.test" : type == "checkbox" ? "true" : TextBase(name);

    private static string TextBase(string name) =>
        name.Contains("email", StringComparison.OrdinalIgnoreCase) ? "someone@example.test"
        : name.Contains("password", StringComparison.OrdinalIgnoreCase) ? "Wrong-password-1"
        : "Valid text 1";

    private static string BaseOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(Guid) ? Guid.NewGuid().ToString()
            : type == typeof(DateOnly) ? DateOnly.FromDateTime(DateTime.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(bool) ? "false"
            : type.IsEnum ? Enum.GetNames(type)[0]
            : "1";
    }
}
