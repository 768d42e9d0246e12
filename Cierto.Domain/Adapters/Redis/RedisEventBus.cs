using System.Text.Json;
using Cierto.Domain.Live;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cierto.Domain.Adapters.Redis;

/// <summary>
/// Redis pub/sub, one channel per company (<c>{prefix}usage:{company}</c>). Events are handed to
/// this instance's subscribers directly, so they keep arriving while Redis is away; other
/// instances get them through Redis. When the connection comes back every local subscriber gets a
/// <see cref="UsageChangeKind.Resync"/> and reloads from the database, so nothing stays missed.
/// </summary>
public sealed partial class RedisEventBus : IEventBus, IDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly string prefix;
    private readonly ILogger<RedisEventBus> logger;
    private readonly LocalSubscribers subscribers = new();
    private readonly RevocationSubscribers revocations = new();
    private readonly Guid instance = Guid.NewGuid();
    private readonly Lock gate = new();
    private int down;
    private int listeningToRevocations;

    public RedisEventBus(IConnectionMultiplexer redis, string prefix, ILogger<RedisEventBus> logger)
    {
        this.redis = redis ?? throw new ArgumentNullException(nameof(redis));
        this.prefix = prefix;
        this.logger = logger;
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
    }

    public int SubscriberCount => subscribers.Count;

    public async Task PublishAsync(EquipmentUsageChanged change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await subscribers.DeliverAsync(change);
        try
        {
            var message = JsonSerializer.Serialize(new Envelope(instance, change), JsonSerializerOptions.Web);
            await redis.GetSubscriber().PublishAsync(Channel(change.CompanyId), message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            NoteDown(ex.Message);
        }
    }

    public async Task PublishAsync(SignInSessionsRevoked revoked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        await revocations.DeliverAsync(revoked);
        try
        {
            var message = JsonSerializer.Serialize(new RevocationEnvelope(instance, revoked), JsonSerializerOptions.Web);
            await redis.GetSubscriber().PublishAsync(RevocationChannel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            NoteDown(ex.Message);
        }
    }

    /// <summary>One channel for the site (<c>{prefix}sign-in-sessions</c>), listened to from the first subscriber on.</summary>
    public IDisposable SubscribeToRevocations(Func<SignInSessionsRevoked, Task> handler)
    {
        var subscription = revocations.Add(handler);
        if (Interlocked.Exchange(ref listeningToRevocations, 1) == 0)
        {
            _ = ListenToRevocationsAsync();
        }

        return subscription;
    }

    public IDisposable Subscribe(Guid companyId, Func<EquipmentUsageChanged, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            if (subscribers.Add(companyId, handler))
            {
                _ = ListenAsync(companyId);
            }
        }

        return new Subscription(() =>
        {
            lock (gate)
            {
                if (subscribers.Remove(companyId, handler))
                {
                    _ = StopListeningAsync(companyId);
                }
            }
        });
    }

    public void Dispose()
    {
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
    }

    private RedisChannel Channel(Guid companyId) => ChannelFor(prefix, companyId);

    private RedisChannel RevocationChannel => RedisChannel.Literal($"{prefix}sign-in-sessions");

    private Task ListenToRevocationsAsync() => ListenAsync(RevocationChannel, OnRevocationMessage);

    private void OnRevocationMessage(RedisChannel channel, RedisValue value) => _ = ReceiveRevocationAsync(value);

    private async Task ReceiveRevocationAsync(RedisValue value)
    {
        if (Read<RevocationEnvelope>(value) is { Revoked: { } revoked } envelope && envelope.Instance != instance)
        {
            await revocations.DeliverAsync(revoked);
        }
    }

    /// <summary>A message of another instance, or null when it cannot be read (an older or foreign writer on the channel).</summary>
    private static T? Read<T>(RedisValue value)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>((string)value!, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task ListenAsync(RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(channel, handler);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The multiplexer re-subscribes when it reconnects.
            NoteDown(ex.Message);
        }
    }

    /// <summary>The Redis channel of a company's events under a key prefix.</summary>
    internal static RedisChannel ChannelFor(string prefix, Guid companyId) => RedisChannel.Literal($"{prefix}usage:{companyId:N}");

    private Task ListenAsync(Guid companyId) => ListenAsync(Channel(companyId), OnMessage);

    private async Task StopListeningAsync(Guid companyId)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel(companyId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            NoteDown(ex.Message);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value) => _ = ReceiveAsync(value);

    private async Task ReceiveAsync(RedisValue value)
    {
        if (Read<Envelope>(value) is { } envelope && envelope.Instance != instance)
        {
            await subscribers.DeliverAsync(envelope.Change);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => NoteDown(e.Exception?.Message ?? e.FailureType.ToString());

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // The subscription link is the one that carries other instances' events; a resync before
        // it is back would leave a gap.
        if (e.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref down, 0) == 1)
        {
            LogRestored(logger);
            _ = subscribers.DeliverToAllAsync(company => new EquipmentUsageChanged(company, null, null, UsageChangeKind.Resync, DateTimeOffset.UtcNow));
            _ = revocations.DeliverAsync(SignInSessionsRevoked.Resync(DateTimeOffset.UtcNow));
        }
    }

    /// <summary>One warning per outage, not one per event.</summary>
    private void NoteDown(string reason)
    {
        if (Interlocked.Exchange(ref down, 1) == 0)
        {
            LogDown(logger, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable ({Reason}); live updates reach this instance's pages only until it is back.")]
    private static partial void LogDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back; live pages reload their state.")]
    private static partial void LogRestored(ILogger logger);

    private sealed record Envelope(Guid Instance, EquipmentUsageChanged Change);

    private sealed record RevocationEnvelope(Guid Instance, SignInSessionsRevoked Revoked);
}
