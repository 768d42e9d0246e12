using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using static Cierto.Tests.Api.HostileTargets;

namespace Cierto.Tests.Api;

/// <summary>
/// Every endpoint the app maps, found by enumeration (the endpoint data source, the OpenAPI
/// document, the forms its pages render), gets NUL, control characters, unpaired surrogates,
/// 1 MB and format strings in each of its fields, as each role it admits. Nothing answers 5xx;
/// what must be refused is refused with its exact answer and writes nothing.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.HostileFixture app) : IClassFixture<HostileInputTests.HostileFixture>
{
    /// <summary>
    /// What is deliberately not exercised, each with its reason. An entry that matches no endpoint
    /// any more fails <see cref="Every_endpoint_is_exercised_or_excluded_with_a_reason"/>.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, Func<RouteEndpoint, bool> Matches, string Reason)> Exclusions =
    [
        ("static assets", IsStaticAsset, "build output served by MapStaticAssets by exact path: no request text reaches Cierto's code"),
        ("Blazor circuit hub", e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("_blazor", StringComparison.Ordinal) == true, "SignalR over WebSockets (blazorpack): a circuit's input arrives as hub messages, not HTTP fields; Circuits/ drives it"),
    ];

    /// <summary>Endpoints that end the caller's sessions: each probe signs a new user in, so the other probes keep theirs.</summary>
    private static readonly (string Method, string Route, string Reason)[] EndsTheSession =
    [
        ("POST", "/api/v1/auth/logout", "revokes every API session of the user"),
        ("POST", "/Account/Logout", "signs the browser out"),
    ];

    /// <summary>
    /// Tables a refused request may still change. None today: rate-limit counters live in Redis, and
    /// a refused request does not reach the code that records sign-ins or audits.
    /// </summary>
    private static readonly string[] AllowedWrites = [];

    public sealed record Payload(string Name, string Value, string? Json = null, string? Url = null)
    {
        public string JsonText => Json ?? JsonSerializer.Serialize(Value);

        public string UrlText => Url ?? Uri.EscapeDataString(Value);

        public override string ToString() => Name;
    }

    public static readonly Payload Nul = new("NUL", "a\0b");
    public static readonly Payload Control = new("control characters", "x\u001b[31my\u007f");
    public static readonly Payload HighSurrogate = new("lone high surrogate", "x\ud800y", Json: "\"x\\ud800y\"", Url: "x%ED%A0%80y");
    public static readonly Payload LowSurrogate = new("lone low surrogate", "x\udc00y", Json: "\"x\\udc00y\"", Url: "x%ED%B0%80y");
    public static readonly Payload Huge = new("1 MB", new string('a', 1024 * 1024));
    public static readonly Payload Format = new("format strings", "{0}{1:x}%s%n%x%p{{}}");

    private static readonly Dictionary<string, Payload> Payloads = new[] { Nul, Control, HighSurrogate, LowSurrogate, Huge, Format }.ToDictionary(p => p.Name);

    public static TheoryData<string> Rounds => new(Payloads.Keys);

    public sealed class HostileFixture : AppFixture
    {
        // Limits would answer 429 before a field is looked at: every one is lifted.
        // No limit in the way, and a browser session's "last seen" written once a day at most: a
        // refused request may legitimately note that its session was seen, which is not the write this test looks for.
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => Enum.GetNames<LimitedAction>()
            .SelectMany(a => new[] { KeyValuePair.Create($"Cierto:Limits:{a}:PerClient", (string?)"1000000"), KeyValuePair.Create($"Cierto:Limits:{a}:PerAccount", (string?)"1000000") })
            .Append(KeyValuePair.Create(Cierto.Domain.Accounts.SignInSessionWatch.LastSeenMinutesKey, (string?)"1440"))
            .ToDictionary();

        // API and pages sign in as different users of each role: a page that changes the account
        // (its profile, its authenticator) renews the security stamp, which ends the user's API sessions.
        private readonly Dictionary<(string Role, bool Api), HttpClient> clients = [];

        public IReadOnlyList<HostileTarget> Targets { get; private set; } = [];

        public JsonElement OpenApi { get; private set; }

        public string? PlanId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var (companyId, _, _) = await CreateCompanyAsync();
            clients[(Anonymous, true)] = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            clients[(Anonymous, false)] = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            foreach (var role in AllRoles)
            {
                var company = role is Roles.Worker or Roles.CompanyAdmin ? companyId : (Guid?)null;
                var (phone, _) = await CreateUserAsync(role, company);
                var (browser, _) = await CreateUserAsync(role, company);
                clients[(role, true)] = await this.SignedInClientAsync(phone.Email!);
                clients[(role, false)] = await App.SignInAsync(browser.Email!);
            }

            OpenApi = JsonDocument.Parse(await clients[(Anonymous, true)].GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.Clone();
            PlanId = (await ApiCalls.JsonAsync(await clients[(Anonymous, true)].GetAsync(new Uri("/api/v1/billing/plans", UriKind.Relative)))).EnumerateArray().First().GetProperty("id").GetString();
            Targets = await PlanAsync();
            companyOf = companyId;
        }

        private Guid companyOf;

        public HttpClient Client(string role, bool api) => clients[(role, api)];

        /// <summary>A new user of the role, signed in, for a probe that ends its own session.</summary>
        public async Task<HttpClient> FreshClientAsync(string role, bool api)
        {
            if (role == Anonymous)
            {
                return App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            }

            var (user, _) = await CreateUserAsync(role, role is Roles.Worker or Roles.CompanyAdmin ? companyOf : null);
            return api ? await this.SignedInClientAsync(user.Email!) : await App.SignInAsync(user.Email!);
        }

        private async Task<IReadOnlyList<HostileTarget>> PlanAsync()
        {
            var targets = new List<HostileTarget>();
            var endpoints = Endpoints(App.Services);
            foreach (var endpoint in endpoints.Where(e => !Exclusions.Any(x => x.Matches(e))))
            {
                foreach (var role in await RolesAsync(App.Services, endpoint))
                {
                    if (IsPage(endpoint))
                    {
                        targets.Add(Page(endpoint, role, RouteValue, BaseQuery(endpoint)));
                    }
                    else if (ApiOperation(endpoint) is { } operation)
                    {
                        targets.Add(HostileTargets.Api(endpoint, role, OpenApi, operation.Operation, operation.Method, RouteValue));
                    }
                    else
                    {
                        targets.Add(Minimal(endpoint, role, RouteValue));
                    }
                }
            }

            // The forms each page renders, as each role that may open it; a form that posts elsewhere
            // (language switch, sign-out) counts for the endpoint it posts to, once.
            var forms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var page in targets.Where(t => IsPage(t.Endpoint)).ToList())
            {
                var path = Url(page, null, null);
                var response = await Client(page.Role, api: false).GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                foreach (var (action, fields) in Forms(await response.Content.ReadAsStringAsync(), path))
                {
                    var actionPath = new Uri(new Uri("http://localhost"), action).AbsolutePath;
                    var ownPage = string.Equals(actionPath, new Uri(new Uri("http://localhost"), path).AbsolutePath, StringComparison.OrdinalIgnoreCase);
                    var endpoint = ownPage ? page.Endpoint : endpoints.FirstOrDefault(e => e.RoutePattern.Parameters.Count == 0 && string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), actionPath, StringComparison.OrdinalIgnoreCase));
                    var key = $"{actionPath}|{string.Join(",", fields.Select(f => f.Key).Where(k => k != "__RequestVerificationToken"))}|{(ownPage ? page.Role : string.Empty)}";
                    if (endpoint is not null && forms.Add(key))
                    {
                        targets.Add(Form(endpoint, page.Role, action, fields) with { FoundOn = path });
                    }
                }
            }

            return targets;
        }

        private Dictionary<string, string> BaseQuery(RouteEndpoint endpoint) => ("/" + endpoint.RoutePattern.RawText?.TrimStart('/')) switch
        {
            // Values a page needs to show its form at all; the field list still comes from the page.
            "/Account/ResetPassword" => new Dictionary<string, string> { ["Code"] = "bm90LWEtdG9rZW4" },
            "/buy" => new Dictionary<string, string> { ["plan"] = PlanId! },
            _ => new Dictionary<string, string>(),
        };

        public (string Method, JsonElement Operation)? ApiOperation(RouteEndpoint endpoint)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                _ => string.Empty,
            }))));
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var method = methods is { Count: > 0 } ? methods[0].ToLowerInvariant() : null;
            return method is not null && OpenApi.GetProperty("paths").TryGetProperty(path, out var item) && item.TryGetProperty(method, out var operation)
                ? (method.ToUpperInvariant(), operation)
                : null;
        }

        private static string RouteValue(RouteEndpoint endpoint, string name)
        {
            var parameter = endpoint.RoutePattern.GetParameter(name)!;
            var constraints = parameter.ParameterPolicies.Select(p => p.Content).ToList();
            return constraints.Contains("guid") ? Guid.NewGuid().ToString() : constraints.Contains("int") ? "1" : constraints.Contains("file") ? "x.txt" : "x";
        }

        public async Task<IReadOnlyDictionary<string, string>> ChecksumAsync() =>
            await DatabaseChecksum.OfAsync(Database.ConnectionString, AllowedWrites);

        public override async Task DisposeAsync()
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }

            await base.DisposeAsync();
        }
    }

    /// <summary>What a probe must answer; a null status means any answer below 500.</summary>
    private sealed record Expectation(bool MayWrite, HttpStatusCode? Status = null, string? Code = null, string? ErrorField = null, string? Text = null);

    private const string PageRefusal = "characters that are not allowed";

    private static Expectation Expect(HostileTarget target, HostileField field, Payload payload)
    {
        var malformed = payload == Nul || payload == Control;
        if (field.Place == FieldPlace.Json && (payload == HighSurrogate || payload == LowSurrogate))
        {
            return new(false, HttpStatusCode.BadRequest, "bad_request"); // the JSON reader refuses the text before any field is bound
        }

        if (field.Place == FieldPlace.Route && !field.Text)
        {
            // No value but an id (a date, a number) matches the route's constraint: no endpoint is reached.
            return new(false, HttpStatusCode.NotFound, target.IsApi ? "not_found" : null);
        }

        if (target.IsApi)
        {
            if (payload == Huge && field.Place == FieldPlace.Json)
            {
                return new(false, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
            }

            if (!field.Declared)
            {
                return new(true); // a parameter no handler reads: the request is what it would be without it
            }

            if (!field.Text)
            {
                return new(false, HttpStatusCode.BadRequest, "bad_request");
            }

            return malformed ? new(false, HttpStatusCode.BadRequest, "validation", field.Name) : new(payload != Huge);
        }

        if (payload == Nul || payload == Control)
        {
            return field.Place is FieldPlace.Query or FieldPlace.Form
                ? new(false, HttpStatusCode.BadRequest, Text: PageRefusal)
                : new(false);
        }

        // Signing out needs no field: a long (but clean) return address is passed over, and the sign-out, which ends the browser's session on the server, is the write.
        return new(payload != Huge || EndsSession(target));
    }

    private static string Url(HostileTarget target, HostileField? field, Payload? payload)
    {
        var path = target.Path;
        foreach (var (name, value) in target.RouteValues)
        {
            var text = field is { Place: FieldPlace.Route } && field.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ? payload!.UrlText : Uri.EscapeDataString(value);
            path = path.Replace("{" + name + "}", text, StringComparison.OrdinalIgnoreCase);
        }

        var query = target.Query
            .Where(q => field is not null || q.Key != ExtraParameter)
            .Select(q => Uri.EscapeDataString(q.Key) + "=" + (field is { Place: FieldPlace.Query } && field.Name == q.Key ? payload!.UrlText : Uri.EscapeDataString(q.Value)));
        var queryText = string.Join("&", query);
        return queryText.Length == 0 ? path : path + "?" + queryText;
    }

    private static HttpRequestMessage Request(HostileTarget target, HostileField field, Payload payload, IReadOnlyList<KeyValuePair<string, string>>? form)
    {
        var request = new HttpRequestMessage(new HttpMethod(target.Method), Url(target, field, payload));
        if (target.Json is { } json)
        {
            var body = "{" + string.Join(",", json.Select(p => JsonSerializer.Serialize(p.Key) + ":" + (field.Place == FieldPlace.Json && field.Name == p.Key ? payload.JsonText : p.Value.GetRawText()))) + "}";
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        else if (form is not null)
        {
            var body = string.Join("&", form.Select(f => Uri.EscapeDataString(f.Key) + "=" + (field.Place == FieldPlace.Form && field.Name == f.Key ? payload.UrlText : Uri.EscapeDataString(f.Value))));
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
            request.Content.Headers.ContentType!.CharSet = null;
        }

        return request;
    }

    private static bool EndsSession(HostileTarget target) =>
        EndsTheSession.Any(e => e.Method == target.Method && string.Equals(e.Route, "/" + ((RouteEndpoint)target.Endpoint).RoutePattern.RawText?.TrimStart('/'), StringComparison.OrdinalIgnoreCase));

    private async Task<string?> CheckAsync(HostileTarget target, HostileField field, Payload payload, Expectation expected, HttpClient? fresh)
    {
        var api = target.IsApi;
        var client = fresh ?? (EndsSession(target) ? await app.FreshClientAsync(target.Role, api) : app.Client(target.Role, api));
        var form = target.Form;
        if (form is not null && EndsSession(target))
        {
            // The new user's own antiforgery token, from the page the form was found on.
            var html = await client.GetStringAsync(new Uri(target.FoundOn!, UriKind.Relative));
            var token = BrowserlessSignIn.AntiforgeryTokenOf(html);
            form = form.Select(f => f.Key == "__RequestVerificationToken" ? KeyValuePair.Create(f.Key, token) : f).ToList();
        }

        using var request = Request(target, field, payload, form);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (InvalidOperationException ex) when (field.Place == FieldPlace.Route && payload == Nul && ex.Message == "The path contains null characters.")
        {
            // The in-memory server refuses the request line itself, as Kestrel does (400): no endpoint is reached.
            return expected.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound || expected.Status is null ? null : $"{target}: NUL in the path was refused by the server, expected {expected.Status}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The in-memory server hands an unhandled exception to the client: a real one answers 500.
            return $"{target} with {payload} in {field.Place} {field.Name}: threw {ex.GetType().Name}: {ex.Message}";
        }

        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        var where = $"{target} with {payload} in {field.Place} {field.Name}: answered {(int)response.StatusCode}";
        if ((int)response.StatusCode >= 500)
        {
            return $"{where} {Cut(body)}";
        }

        if (expected.Status is { } status && response.StatusCode != status)
        {
            return $"{where}, expected {(int)status} {expected.Code}{expected.Text}: {Cut(body)}";
        }

        if (api && (int)response.StatusCode >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{where} without a problem: {response.Content.Headers.ContentType}";
            }

            var problem = JsonDocument.Parse(body).RootElement;
            if (expected.Code is { } code && problem.GetProperty("code").GetString() != code)
            {
                return $"{where} {Cut(body)}, expected code {code}";
            }

            if (expected.ErrorField is { } name && !(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))))
            {
                return $"{where} {Cut(body)}, expected an error for {name}";
            }
        }

        if (expected.Text is { } text && !body.Contains(text, StringComparison.Ordinal))
        {
            return $"{where}, expected \"{text}\": {Cut(body)}";
        }

        if (!api && target.Path != "/Error" && body.Contains("<title>Error — Cierto</title>", StringComparison.Ordinal))
        {
            return $"{where} with the error page";
        }

        // Text that is accepted comes back as it was sent (normalised to capitals at most), never formatted.
        if (api && response.IsSuccessStatusCode && field.Place == FieldPlace.Json && payload == Format
            && response.Content.Headers.ContentType?.MediaType == "application/json"
            && JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } answer
            && answer.TryGetProperty(field.Name, out var echoed) && echoed.ValueKind == JsonValueKind.String
            && !string.Equals(echoed.GetString(), payload.Value, StringComparison.OrdinalIgnoreCase))
        {
            return $"{where}, echoed {field.Name} as {echoed.GetString()}";
        }

        return null;
    }

    private static string Cut(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private async Task<List<string>> RunAsync(IEnumerable<(HostileTarget Target, HostileField Field, Expectation Expected, HttpClient? Fresh)> probes, Payload payload)
    {
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (probe, _) =>
        {
            if (await CheckAsync(probe.Target, probe.Field, payload, probe.Expected, probe.Fresh) is { } failure)
            {
                failures.Add(failure);
            }
        });
        return failures.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One round per hostile value, over every field of every target. Refused probes run first, between
    /// two checksums of every table: they must write nothing. Probes whose value is legal text (a
    /// format string, a surrogate that arrived as bytes and was decoded to U+FFFD, a parameter no
    /// handler reads) may be accepted and write like any request; they must not fail, and the mail
    /// they queue must be delivered.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rounds))]
    public async Task No_field_of_any_endpoint_answers_5xx_and_a_refused_value_writes_nothing(string round)
    {
        var payload = Payloads[round];
        var probes = app.Targets.SelectMany(t => t.Fields.Select(f => (Target: t, Field: f, Expected: Expect(t, f, payload)))).ToList();

        // The users that session-ending probes sign in are made before the first checksum.
        var refused = new List<(HostileTarget, HostileField, Expectation, HttpClient?)>();
        foreach (var (target, field, expected) in probes.Where(p => !p.Expected.MayWrite))
        {
            refused.Add((target, field, expected, EndsSession(target) ? await app.FreshClientAsync(target.Role, target.IsApi) : null));
        }

        var before = await app.ChecksumAsync();
        var failures = await RunAsync(refused, payload);
        var changed = DatabaseChecksum.Changed(before, await app.ChecksumAsync());

        failures.AddRange(await RunAsync(probes.Where(p => p.Expected.MayWrite).Select(p => (p.Target, p.Field, p.Expected, (HttpClient?)null)), payload));
        await app.DeliverOutboxAsync();
        await using var db = app.Db();
        var undelivered = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed || m.LastError != null).Select(m => m.Kind + ": " + m.LastError).ToListAsync();

        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes failed:\n{string.Join("\n", failures.Take(400))}");
        Assert.True(changed.Count == 0, $"Refused {payload} requests wrote to {string.Join(", ", changed)}");
        Assert.Empty(undelivered);
    }

    [Fact]
    public void Every_endpoint_is_exercised_or_excluded_with_a_reason()
    {
        var endpoints = Endpoints(app.App.Services);
        var exercised = app.Targets.Select(t => t.Endpoint).ToHashSet();
        var excluded = endpoints.Where(e => Exclusions.Any(x => x.Matches(e))).ToHashSet();

        Assert.Empty(endpoints.Where(e => !exercised.Contains(e) && !excluded.Contains(e)).Select(Describe));
        Assert.Empty(Exclusions.Where(x => !endpoints.Any(x.Matches)).Select(x => x.Name));
        Assert.Empty(EndsTheSession.Where(s => !app.Targets.Any(t => EndsSession(t) && t.Method == s.Method)).Select(s => s.Route));

        // The API's fields come from the OpenAPI document: an API route missing from it would go unprobed.
        Assert.Empty(endpoints.Where(e => !excluded.Contains(e) && e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true && app.ApiOperation(e) is null).Select(Describe));

        // Form fields reach an endpoint only through the forms that post them.
        var formEndpoints = endpoints.Where(e => e.Metadata.GetOrderedMetadata<IParameterBindingMetadata>().Any(p => p.ParameterInfo.GetCustomAttributes(typeof(FromFormAttribute), false).Length > 0));
        Assert.Empty(formEndpoints.Where(e => !app.Targets.Any(t => t.Endpoint == e && t.Form is not null)).Select(Describe));

        // Every role an endpoint admits is exercised.
        Assert.Contains(app.Targets, t => t.Role == Roles.Worker);
        Assert.Contains(app.Targets, t => t.Role == Roles.CompanyAdmin);
        Assert.Contains(app.Targets, t => t.Role == Roles.Support);
        Assert.Contains(app.Targets, t => t.Role == Roles.Root);
    }
}
