using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cierto.Circuits;

/// <summary>
/// What a prerendered interactive page hands the browser to start its circuit: the
/// <c>&lt;!--Blazor:{…}--&gt;</c> start markers of its server root components (in sequence order)
/// and the protected state in <c>&lt;!--Blazor-Server-Component-State:…--&gt;</c>.
/// </summary>
public sealed partial class PrerenderedPage
{
    private PrerenderedPage(IReadOnlyList<JsonObject> markers, string applicationState)
    {
        Markers = markers;
        ApplicationState = applicationState;
    }

    /// <summary>Server root component markers, sorted by their sequence like blazor.web.js does.</summary>
    public IReadOnlyList<JsonObject> Markers { get; }

    public string ApplicationState { get; }

    public static PrerenderedPage Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var markers = Marker().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => (string?)m["type"] == "server")
            .OrderBy(m => (int?)m["sequence"] ?? 0)
            .ToList();
        var state = State().Match(html);
        return new PrerenderedPage(markers, state.Success ? state.Groups[1].Value : string.Empty);
    }

    /// <summary>The argument of the hub's <c>UpdateRootComponents</c>: one "add" per marker.</summary>
    public string AddOperations(long batchId)
    {
        var operations = new JsonArray();
        var ssrComponentId = 1;
        foreach (var marker in Markers)
        {
            operations.Add(new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = ssrComponentId++,
                ["marker"] = marker.DeepClone(),
            });
        }

        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString(JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new();

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--\s*Blazor-Server-Component-State:([A-Za-z0-9+/=]+)\s*-->")]
    private static partial Regex State();
}
