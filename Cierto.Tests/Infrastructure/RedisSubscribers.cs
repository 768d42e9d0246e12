using Cierto.Domain.Adapters.Redis;
using Cierto.Domain.Live;
using StackExchange.Redis;

namespace Cierto.Tests.Infrastructure;

/// <summary>Waits for what Redis itself reports (PUBSUB NUMSUB), instead of sleeping and hoping a SUBSCRIBE arrived.</summary>
public static class RedisSubscribers
{
    public static async Task WaitAsync(IConnectionMultiplexer redis, string prefix, Guid companyId, long atLeast)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var channel = RedisEventBus.ChannelFor(prefix, companyId);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long count = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                count = await redis.GetServers()[0].SubscriptionSubscriberCountAsync(channel);
                if (count >= atLeast)
                {
                    return;
                }
            }
            catch (RedisConnectionException)
            {
                // still reconnecting
            }

            await Task.Delay(20);
        }

        Assert.Fail($"{channel} has {count} subscribers after 10 s, expected {atLeast}.");
    }
}
