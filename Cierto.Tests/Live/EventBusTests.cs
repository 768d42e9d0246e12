using System.Threading.Channels;
using Cierto.Domain.Adapters.Redis;
using Cierto.Domain.Live;
using Cierto.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cierto.Tests.Live;

public sealed class EventBusTests
{
    /// <summary>How long a test waits for a delivery: a failure, not a latency claim (latency is measured in bench/).</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static EquipmentUsageChanged Change(Guid company) => new(company, Guid.NewGuid(), Guid.NewGuid(), UsageChangeKind.Activated, DateTimeOffset.UtcNow);

    private static (IDisposable Subscription, ChannelReader<EquipmentUsageChanged> Received) Listen(IEventBus bus, Guid company)
    {
        var channel = Channel.CreateUnbounded<EquipmentUsageChanged>();
        var subscription = bus.Subscribe(company, e => channel.Writer.WriteAsync(e).AsTask());
        return (subscription, channel.Reader);
    }

    private static async Task<EquipmentUsageChanged> NextAsync(ChannelReader<EquipmentUsageChanged> reader, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        return await reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task In_process_a_company_gets_its_own_events_only()
    {
        var bus = new InProcessEventBus();
        var (mine, other) = (Guid.NewGuid(), Guid.NewGuid());
        var (subscription, received) = Listen(bus, mine);

        await bus.PublishAsync(Change(other));
        var change = Change(mine);
        await bus.PublishAsync(change);

        Assert.Equal(change, await NextAsync(received, Generous));
        Assert.False(received.TryRead(out _));
        subscription.Dispose();
        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public async Task Opening_and_closing_many_dashboards_leaves_no_subscriber_behind()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        using var bus = new RedisEventBus(redis, $"cierto-test-{Guid.NewGuid():N}:", NullLogger<RedisEventBus>.Instance);
        var companies = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();

        var subscriptions = Enumerable.Range(0, 300).Select(i => bus.Subscribe(companies[i % 10], _ => Task.CompletedTask)).ToList();
        Assert.Equal(300, bus.SubscriberCount);
        await Parallel.ForEachAsync(subscriptions, (s, _) =>
        {
            s.Dispose();
            s.Dispose(); // twice is harmless
            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public async Task Through_redis_an_event_published_on_one_instance_reaches_another()
    {
        var prefix = $"cierto-test-{Guid.NewGuid():N}:";
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        using var busA = new RedisEventBus(redisA, prefix, NullLogger<RedisEventBus>.Instance);
        using var busB = new RedisEventBus(redisB, prefix, NullLogger<RedisEventBus>.Instance);
        var company = Guid.NewGuid();
        var (onA, receivedA) = Listen(busA, company);
        var (onB, receivedB) = Listen(busB, company);
        await RedisSubscribers.WaitAsync(redisA, prefix, company, atLeast: 2);

        var change = Change(company);
        await busA.PublishAsync(change);

        Assert.Equal(change, await NextAsync(receivedB, Generous));
        Assert.Equal(change, await NextAsync(receivedA, Generous));

        // Its own message coming back from Redis is not delivered again: the next thing A hears is B's marker.
        var marker = Change(company);
        await busB.PublishAsync(marker);
        Assert.Equal(marker, await NextAsync(receivedA, Generous));
        onA.Dispose();
        onB.Dispose();
    }

    [Fact]
    public async Task With_redis_gone_events_still_reach_this_instance_and_after_it_returns_the_others_again()
    {
        await using var server = new RedisProcess();
        await server.StartAsync();
        var prefix = "live:";
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        using var busA = new RedisEventBus(redisA, prefix, NullLogger<RedisEventBus>.Instance);
        using var busB = new RedisEventBus(redisB, prefix, NullLogger<RedisEventBus>.Instance);
        var company = Guid.NewGuid();
        var (onA, receivedA) = Listen(busA, company);
        var (onB, receivedB) = Listen(busB, company);
        await RedisSubscribers.WaitAsync(redisA, prefix, company, atLeast: 2);

        await server.StopAsync();
        var whileDown = Change(company);
        await busA.PublishAsync(whileDown); // does not throw
        Assert.Equal(whileDown, await NextAsync(receivedA, Generous));

        await server.StartAsync();
        var resync = await NextAsync(receivedB, TimeSpan.FromSeconds(20));
        Assert.Equal(UsageChangeKind.Resync, resync.Kind); // B reloads from the database: nothing stays missed
        await WaitForAsync(() => redisA.IsConnected && redisB.IsConnected);
        await RedisSubscribers.WaitAsync(redisA, prefix, company, atLeast: 2); // both re-subscribed

        var afterwards = Change(company);
        await busA.PublishAsync(afterwards);
        EquipmentUsageChanged next;
        do
        {
            next = await NextAsync(receivedB, Generous);
        }
        while (next.Kind == UsageChangeKind.Resync);
        Assert.Equal(afterwards, next);
        onA.Dispose();
        onB.Dispose();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }
}
