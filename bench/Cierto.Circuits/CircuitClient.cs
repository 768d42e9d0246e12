using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Circuits;

/// <summary>
/// One Blazor Server circuit driven without a browser: fetches the prerendered page with the
/// user's cookie, opens the <c>_blazor</c> hub with blazorpack, starts the circuit and adds the
/// page's root components, acknowledges every render batch, answers the page's JS interop calls,
/// dispatches events, and says goodbye through <c>_blazor/disconnect</c> like blazor.web.js.
/// </summary>
public sealed class CircuitClient : IAsyncDisposable
{
    private const string AttachRendererInterop = "Blazor._internal.attachWebRendererInterop";

    private readonly HubConnection connection;
    private readonly HttpMessageInvoker http;
    private readonly Uri pageUrl;
    private readonly string cookie;
    private readonly CircuitClientOptions options;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> dotNetCalls = new();
    private readonly List<Watcher> watchers = [];
    private readonly TaskCompletionSource firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource rendererReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, ulong> latestHandlers = new(StringComparer.Ordinal);
    private readonly byte[]? readyMarker;
    private TaskCompletionSource? nextBatch;
    private long rendererInteropId;
    private long nextCallId;
    private string? circuitSecret;
    private int disposed;

    private CircuitClient(HttpMessageHandler handler, Uri pageUrl, string cookie, CircuitClientOptions options)
    {
        http = new HttpMessageInvoker(handler, disposeHandler: false);
        this.pageUrl = pageUrl;
        this.cookie = cookie;
        this.options = options;
        readyMarker = options.ReadyWhenRendered is { } marker ? System.Text.Encoding.UTF8.GetBytes(marker) : null;
        var hub = new Uri(pageUrl, "/_blazor");
        var builder = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.Headers["Cookie"] = cookie;
                o.HttpMessageHandlerFactory = _ => new SharedHandler(http);
            });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        connection = builder.Build();
        connection.ServerTimeout = options.ServerTimeout;
        connection.KeepAliveInterval = options.KeepAliveInterval;

        connection.On("JS.RenderBatch", [typeof(long), typeof(byte[])], args => OnRenderBatchAsync((long)args[0]!, (byte[])args[1]!));
        connection.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], args =>
            OnBeginInvokeJSAsync((long)args[0]!, (string)args[1]!, (string?)args[2]));
        connection.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], args => OnEndInvokeDotNet((string)args[0]!, (bool)args[1]!, (string?)args[2]));
        connection.On("JS.Error", [typeof(string)], args => OnError((string)args[0]!));
        connection.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        connection.On("JS.EndLocationChanging", [typeof(int), typeof(bool)], _ => Task.CompletedTask);
        connection.Closed += error =>
        {
            Error ??= error?.Message ?? "The connection closed.";
            FailWaiters();
            return Task.CompletedTask;
        };
    }

    /// <summary>Render batches received (and acknowledged) so far.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Bytes of render batches received so far.</summary>
    public long BatchBytes => Interlocked.Read(ref batchBytes);

    /// <summary>JS interop calls the server made and this client answered.</summary>
    public long InteropCalls => Interlocked.Read(ref interopCalls);

    /// <summary>The error the server reported (<c>JS.Error</c>) or why the connection closed.</summary>
    public string? Error { get; private set; }

    /// <summary>What the server answered the disconnect beacon (200 when it ended the circuit).</summary>
    public int? DisconnectStatus { get; private set; }

    /// <summary>Called for every render batch with the time it arrived (before acknowledging it).</summary>
    public event Action<RenderBatch, long>? BatchReceived;

    /// <summary>Component renders the batches carried (each updated component is one diff).</summary>
    public long ComponentRenders => Interlocked.Read(ref componentRenders);

    private long componentRenders;
    private long batches;
    private long batchBytes;
    private long interopCalls;

    /// <summary>
    /// Opens the page as a browser would and waits for the circuit's first render batch (or the
    /// one that shows <see cref="CircuitClientOptions.ReadyWhenRendered"/>).
    /// <paramref name="handler"/> is shared by many clients (it must not keep cookies itself, nor
    /// follow redirects); <paramref name="cookie"/> is the signed-in user's Cookie header.
    /// </summary>
    public static async Task<CircuitClient> OpenAsync(HttpMessageHandler handler, Uri pageUrl, string cookie, CircuitClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(pageUrl);
        var client = new CircuitClient(handler, pageUrl, cookie, options ?? new CircuitClientOptions());
        try
        {
            await client.StartAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUrl);
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CircuitClientException($"GET {pageUrl.PathAndQuery} answered {(int)response.StatusCode}.");
        }

        var page = PrerenderedPage.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (page.Markers.Count == 0)
        {
            throw new CircuitClientException($"{pageUrl.PathAndQuery} has no interactive server components (was it redirected to sign-in?).");
        }

        await connection.StartAsync(cancellationToken);
        var baseUri = new Uri(pageUrl, "/").ToString();
        circuitSecret = await connection.InvokeAsync<string?>("StartCircuit", baseUri, pageUrl.ToString(), "[]", page.ApplicationState, cancellationToken)
            ?? throw new CircuitClientException($"The server refused to start a circuit: {Error}");
        await connection.SendAsync("UpdateRootComponents", page.AddOperations(1), page.ApplicationState, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        await firstBatch.Task.WaitAsync(timeout.Token);
    }

    private bool IsReady(byte[] data) => readyMarker is null || data.AsSpan().IndexOf(readyMarker) >= 0;

    private async Task OnRenderBatchAsync(long id, byte[] data)
    {
        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batchBytes, data.Length);
        Interlocked.Add(ref componentRenders, RenderBatch.CountUpdatedComponents(data));
        options.OnBatch?.Invoke(id, data.Length, arrived);
        Interlocked.Exchange(ref nextBatch, null)?.TrySetResult();
        if (options.InspectBatches || BatchReceived is not null)
        {
            var batch = new RenderBatch(id, data);
            BatchReceived?.Invoke(batch, arrived);
            if (options.InspectBatches)
            {
                Inspect(batch);
            }
        }

        // The server keeps at most a handful of unacknowledged batches, then stops rendering.
        await connection.SendAsync("OnRenderCompleted", id, null);
        if (IsReady(data))
        {
            firstBatch.TrySetResult();
        }
    }

    private void Inspect(RenderBatch batch)
    {
        List<Watcher> matched;
        lock (watchers)
        {
            foreach (var element in batch.Elements())
            {
                foreach (var (eventName, handler) in element.Handlers)
                {
                    latestHandlers[HandlerKey(element.Name, eventName, element.Attributes.GetValueOrDefault("aria-label") ?? element.Text.Trim())] = handler;
                    latestHandlers[HandlerKey(element.Name, eventName, AnyLabel)] = handler; // the last one rendered, whatever its label
                }
            }

            // A handler re-assigned on an element already there: which element the edit names is not
            // parsed, so only the "any label" entry of the element kinds that have this event moves.
            foreach (var (eventName, handler) in batch.ReassignedHandlers())
            {
                foreach (var key in latestHandlers.Keys.Where(k => k.EndsWith($"|{eventName}|{AnyLabel}", StringComparison.Ordinal)).ToList())
                {
                    latestHandlers[key] = handler;
                }
            }

            matched = watchers.Where(w => w.Predicate(batch)).ToList();
            watchers.RemoveAll(matched.Contains);
        }

        foreach (var watcher in matched)
        {
            watcher.Done.TrySetResult(batch);
        }
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string? argsJson)
    {
        Interlocked.Increment(ref interopCalls);
        if (identifier == AttachRendererInterop && argsJson is not null)
        {
            using var args = JsonDocument.Parse(argsJson);
            rendererInteropId = args.RootElement[1].GetProperty("__dotNetObject").GetInt64();
            rendererReady.TrySetResult();
        }

        if (asyncHandle == 0)
        {
            return;
        }

        // Every other call (MudBlazor's element measurements, focus, listeners…) succeeds with no result,
        // which is what a page that nobody looks at would need.
        var result = options.AnswerInterop?.Invoke(identifier, argsJson) ?? "null";
        await connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle.ToString(CultureInfo.InvariantCulture)},true,{result}]");
    }

    private Task OnEndInvokeDotNet(string callId, bool succeeded, string? result)
    {
        if (dotNetCalls.TryRemove(callId, out var call))
        {
            if (succeeded)
            {
                call.TrySetResult(result ?? "null");
            }
            else
            {
                call.TrySetException(new CircuitClientException($"The server failed the call: {result}"));
            }
        }

        return Task.CompletedTask;
    }

    private Task OnError(string error)
    {
        Error = error;
        FailWaiters();
        return Task.CompletedTask;
    }

    private void FailWaiters()
    {
        firstBatch.TrySetException(new CircuitClientException($"The circuit failed: {Error}"));
        lock (watchers)
        {
            foreach (var watcher in watchers)
            {
                watcher.Done.TrySetException(new CircuitClientException($"The circuit failed: {Error}"));
            }

            watchers.Clear();
        }
    }

    /// <summary>Waits for a render batch that satisfies <paramref name="predicate"/> (needs <see cref="CircuitClientOptions.InspectBatches"/>).</summary>
    public Task<RenderBatch> WaitForBatchAsync(Func<RenderBatch, bool> predicate, TimeSpan timeout)
    {
        if (!options.InspectBatches)
        {
            throw new InvalidOperationException("Open the client with InspectBatches to wait for batches.");
        }

        var watcher = new Watcher(predicate);
        lock (watchers)
        {
            watchers.Add(watcher);
        }

        return watcher.Done.Task.WaitAsync(timeout);
    }

    /// <summary>
    /// Clicks the element (a button, say) last rendered with this aria-label or text, through the
    /// renderer's <c>DispatchEventAsync</c> as blazor.web.js does. Returns once the server handled it.
    /// </summary>
    public Task ClickAsync(string label, string element = "button", CancellationToken cancellationToken = default) =>
        DispatchAsync(element, "click", label, null, new { detail = 1, screenX = 0, screenY = 0, clientX = 0, clientY = 0, offsetX = 0, offsetY = 0, pageX = 0, pageY = 0, movementX = 0, movementY = 0, button = 0, buttons = 0, ctrlKey = false, shiftKey = false, altKey = false, metaKey = false, type = "click" }, cancellationToken);

    /// <summary>
    /// Types <paramref name="value"/> into the input last rendered (with <paramref name="label"/> as its
    /// aria-label, or any), as a browser reports it: an "input" event (fields bound on every key) or "change".
    /// </summary>
    public Task TypeAsync(string value, string? label = null, string eventName = "input", CancellationToken cancellationToken = default) =>
        DispatchAsync("input", eventName, label ?? AnyLabel, null, new { value }, cancellationToken);

    /// <summary>Submits the form last rendered, as pressing Enter or its submit button does.</summary>
    public Task SubmitAsync(CancellationToken cancellationToken = default) =>
        DispatchAsync("form", "submit", AnyLabel, null, new { }, cancellationToken);

    private async Task DispatchAsync(string element, string eventName, string label, object? fieldInfo, object eventArgs, CancellationToken cancellationToken)
    {
        var key = HandlerKey(element, "on" + eventName, label);
        Watcher? rendered = null;
        lock (watchers)
        {
            if (!latestHandlers.ContainsKey(key))
            {
                rendered = new Watcher(_ => latestHandlers.ContainsKey(key));
                watchers.Add(rendered);
            }
        }

        if (rendered is not null)
        {
            try
            {
                await rendered.Done.Task.WaitAsync(options.StartTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                string seen;
                lock (watchers)
                {
                    seen = string.Join(", ", latestHandlers.Keys.Where(k => !k.EndsWith(AnyLabel, StringComparison.Ordinal)));
                }

                throw new CircuitClientException($"No <{element}> labelled \"{label}\" with an on{eventName} handler was rendered (rendered: {seen}).");
            }
        }

        ulong handler;
        lock (watchers)
        {
            handler = latestHandlers[key];
        }

        await rendererReady.Task.WaitAsync(options.StartTimeout, cancellationToken);
        var descriptor = new { eventHandlerId = handler, eventName, eventFieldInfo = fieldInfo };
        await InvokeDotNetAsync("DispatchEventAsync", rendererInteropId, JsonSerializer.Serialize(new[] { descriptor, eventArgs }), cancellationToken);
    }

    private async Task<string> InvokeDotNetAsync(string method, long objectId, string argsJson, CancellationToken cancellationToken)
    {
        var callId = Interlocked.Increment(ref nextCallId).ToString(CultureInfo.InvariantCulture);
        var call = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        dotNetCalls[callId] = call;
        await connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, method, objectId, argsJson, cancellationToken);
        return await call.Task.WaitAsync(options.StartTimeout, cancellationToken);
    }

    /// <summary>
    /// Ping → render: tells the circuit the browser is (again) at the page's address, which makes
    /// the router render the page, and times the render batch that follows.
    /// </summary>
    public async Task<TimeSpan> RoundTripAsync(CancellationToken cancellationToken = default)
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref nextBatch, next);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await connection.SendAsync("OnLocationChanged", pageUrl.ToString(), null, false, cancellationToken);
        await next.Task.WaitAsync(options.StartTimeout, cancellationToken);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    private const string AnyLabel = "(any label)";

    private static string HandlerKey(string element, string eventName, string label) => $"{element}|{eventName}|{label}";

    /// <summary>Ends the circuit the way a closing tab does: the disconnect beacon, then the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (circuitSecret is not null && connection.State == HubConnectionState.Connected)
        {
            try
            {
                using var form = new FormUrlEncodedContent([new("circuitId", circuitSecret)]);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pageUrl, "/_blazor/disconnect")) { Content = form };
                request.Headers.Add("Cookie", cookie);
                using var response = await http.SendAsync(request, CancellationToken.None);
                DisconnectStatus = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // The server is gone; closing the socket below is all that is left to do.
            }
        }

        await connection.DisposeAsync();
        http.Dispose();
    }

    private sealed record Watcher(Func<RenderBatch, bool> Predicate)
    {
        public TaskCompletionSource<RenderBatch> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets every circuit's negotiate request use one shared connection pool without disposing it.</summary>
    private sealed class SharedHandler(HttpMessageInvoker shared) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            shared.SendAsync(request, cancellationToken);
    }
}

public sealed class CircuitClientOptions
{
    /// <summary>Parse every batch (for tests and for waiting on content); load runs only count bytes.</summary>
    public bool InspectBatches { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Opening waits for a render batch carrying this text (a test id, a heading) instead of the
    /// first batch, which may be a page's loading state.
    /// </summary>
    public string? ReadyWhenRendered { get; init; }

    /// <summary>blazor.web.js's defaults: a ping every 15 s, the server presumed gone after 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called with every batch's id, size and arrival (Stopwatch timestamp), before it is acknowledged; must be quick.</summary>
    public Action<long, int, long>? OnBatch { get; init; }

    /// <summary>JSON result for a JS call by identifier, or null for "null".</summary>
    public Func<string, string?, string?>? AnswerInterop { get; init; }
}

public sealed class CircuitClientException(string message) : Exception(message);
