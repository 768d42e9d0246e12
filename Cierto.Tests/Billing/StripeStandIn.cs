using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Billing;

/// <summary>
/// A loopback HTTP server in Stripe's place, so that Stripe.net's real <c>StripeClient</c> (its
/// request encoding, idempotency header, response parsing) is exercised with no network: it records
/// each request and answers Checkout Session and Refund creation the way Stripe does, including
/// "the same idempotency key answers the same object".
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, string> answersByKey = new();
    private readonly Task serving;
    private int sessions;
    private int refunds;
    private TaskCompletionSource? refundGate;

    public StripeStandIn()
    {
        Port = LoopbackPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    public string ApiBase => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IEnumerable<RecordedRequest> CheckoutSessions => Requests.Where(r => r.Path == "/v1/checkout/sessions");

    public IEnumerable<RecordedRequest> Refunds => Requests.Where(r => r.Path == "/v1/refunds");

    /// <summary>How many of the next refund requests Stripe refuses (as it does a charge it cannot refund).</summary>
    public int RefundsToRefuse { get; set; }

    /// <summary>Completes when a refund request has arrived and is being held.</summary>
    public TaskCompletionSource RefundHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Holds the next refund requests unanswered (as a slow Stripe would) until the returned gate is opened.</summary>
    public TaskCompletionSource HoldRefunds()
    {
        RefundHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        refundGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return refundGate;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Idempotency-Key"], context.Request.Headers["Authorization"], ParseForm(body));
            Requests.Enqueue(request);
            if (request.Path == "/v1/refunds" && refundGate is { } gate)
            {
                RefundHeld.TrySetResult();
                await gate.Task;
                refundGate = null;
            }

            var json = request.IdempotencyKey is { } key ? answersByKey.GetOrAdd(key, _ => Answer(request)) : Answer(request);
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = json.Contains("\"error\"", StringComparison.Ordinal) ? 404 : 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private string Answer(RecordedRequest request)
    {
        switch (request.Path)
        {
            case "/v1/checkout/sessions":
                var id = $"cs_test_{Interlocked.Increment(ref sessions)}_{Guid.NewGuid():N}";
                return JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = id,
                    ["object"] = "checkout.session",
                    ["mode"] = "payment",
                    ["status"] = "open",
                    ["payment_status"] = "unpaid",
                    ["client_reference_id"] = request.Form.GetValueOrDefault("client_reference_id"),
                    ["currency"] = request.Form.GetValueOrDefault("line_items[0][price_data][currency]"),
                    ["amount_total"] = long.Parse(request.Form.GetValueOrDefault("line_items[0][price_data][unit_amount]") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                    ["url"] = $"https://checkout.stripe.test/c/pay/{id}",
                    ["livemode"] = false,
                });
            case "/v1/refunds" when RefundsToRefuse > 0:
                RefundsToRefuse--;
                return """{"error":{"type":"invalid_request_error","code":"charge_disputed","message":"This charge is disputed and cannot be refunded now."}}""";
            case "/v1/refunds":
                return JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = $"re_test_{Interlocked.Increment(ref refunds)}",
                    ["object"] = "refund",
                    ["status"] = "succeeded",
                    ["payment_intent"] = request.Form.GetValueOrDefault("payment_intent"),
                });
            default:
                return """{"error":{"type":"invalid_request_error","message":"Unrecognized request URL."}}""";
        }
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(p => WebUtility.UrlDecode(p[0]))
            .ToDictionary(g => g.Key, g => WebUtility.UrlDecode(g.Last().ElementAtOrDefault(1) ?? string.Empty));

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}

public sealed record RecordedRequest(string Method, string Path, string? IdempotencyKey, string? Authorization, Dictionary<string, string> Form);

/// <summary>Webhook payloads as Stripe sends them, signed the way Stripe signs them (HMAC-SHA256 of "timestamp.payload").</summary>
public static class StripeEvents
{
    public static string Signature(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>A Checkout Session event; the amount and currency default to the Starter plan's (EUR 29.00), as Stripe reports them (minor units, lower case).</summary>
    public static string Session(string type, string sessionId, string? reference, string paymentStatus, string? paymentIntent, string? eventId = null, long? amountTotal = 2900, string? currency = "eur") =>
        Event(type, eventId, new Dictionary<string, object?>
        {
            ["id"] = sessionId,
            ["object"] = "checkout.session",
            ["mode"] = "payment",
            ["client_reference_id"] = reference,
            ["payment_status"] = paymentStatus,
            ["payment_intent"] = paymentIntent,
            ["amount_total"] = amountTotal,
            ["amount_subtotal"] = amountTotal,
            ["currency"] = currency,
            ["status"] = type == "checkout.session.expired" ? "expired" : "complete",
        });

    public static string ChargeRefunded(string paymentIntent, string? eventId = null) =>
        Event("charge.refunded", eventId, new Dictionary<string, object?>
        {
            ["id"] = $"ch_test_{Guid.NewGuid():N}",
            ["object"] = "charge",
            ["payment_intent"] = paymentIntent,
            ["refunded"] = true,
            ["amount_refunded"] = 2900,
        });

    private static string Event(string type, string? eventId, Dictionary<string, object?> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = eventId ?? $"evt_test_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["type"] = type,
            ["data"] = new Dictionary<string, object?> { ["object"] = data },
        });
}
