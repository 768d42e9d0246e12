using Cierto.Domain.Usage;
using Cierto.Tests.Infrastructure;
using StackExchange.Redis;

namespace Cierto.Tests.Domain;

public sealed class ActivationThrottleTests
{
    private static async Task AssertBlocksAfterFiveAsync(IActivationThrottle recorder, IActivationThrottle reader)
    {
        var worker = Guid.NewGuid();
        for (var i = 0; i < IActivationThrottle.MaxFailures - 1; i++)
        {
            await recorder.RecordFailureAsync(worker);
        }

        Assert.Null(await reader.RetryAfterAsync(worker));
        await recorder.RecordFailureAsync(worker);
        var wait = await reader.RetryAfterAsync(worker);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromMinutes(14), IActivationThrottle.Window);
        Assert.Null(await reader.RetryAfterAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task In_process_the_fifth_wrong_code_blocks_for_the_window()
    {
        var throttle = new InMemoryActivationThrottle(TimeProvider.System);
        await AssertBlocksAfterFiveAsync(throttle, throttle);
    }

    [Fact]
    public async Task Through_redis_two_instances_share_the_count()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        var prefix = $"cierto-test-{Guid.NewGuid():N}:";
        var instanceA = new RedisActivationThrottle(redis, prefix, new InMemoryActivationThrottle(TimeProvider.System));
        var instanceB = new RedisActivationThrottle(redis, prefix, new InMemoryActivationThrottle(TimeProvider.System));

        await AssertBlocksAfterFiveAsync(instanceA, instanceB);
    }

    [Fact]
    public async Task With_redis_unreachable_the_instance_still_throttles_on_its_own()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=200,asyncTimeout=200");
        var throttle = new RedisActivationThrottle(redis, "dead:", new InMemoryActivationThrottle(TimeProvider.System));

        await AssertBlocksAfterFiveAsync(throttle, throttle);
    }
}
