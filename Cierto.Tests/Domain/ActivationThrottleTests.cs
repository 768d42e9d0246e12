using Cierto.Domain.Adapters.Redis;
using Cierto.Domain.Limits;
using Cierto.Domain.Usage;
using Cierto.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Cierto.Tests.Domain;

public sealed class ActivationThrottleTests
{
    /// <summary>Five wrong codes (recorded on one instance) pause the next attempt (seen on the other).</summary>
    private static async Task AssertBlocksAfterFiveAsync(ActivationThrottle recorder, ActivationThrottle reader)
    {
        var worker = Guid.NewGuid();
        for (var i = 0; i < ActivationThrottle.MaxFailures; i++)
        {
            Assert.Null(await recorder.BeginAttemptAsync(worker)); // each a wrong code: never forgiven
        }

        var wait = await reader.BeginAttemptAsync(worker);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromMinutes(14), ActivationThrottle.Window);
        Assert.Null(await reader.BeginAttemptAsync(Guid.NewGuid()));
    }

    private static async Task<int> ConcurrentWrongCodesThatPassAsync(ActivationThrottle throttle)
    {
        var worker = Guid.NewGuid();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await throttle.BeginAttemptAsync(worker);
        })).ToList();
        start.Set();
        return (await Task.WhenAll(attempts)).Count(wait => wait is null);
    }

    [Fact]
    public async Task In_process_the_attempt_after_five_wrong_codes_waits_for_the_window()
    {
        var throttle = new ActivationThrottle(new InMemoryRateCounter(TimeProvider.System));
        await AssertBlocksAfterFiveAsync(throttle, throttle);
    }

    [Fact]
    public async Task Right_codes_are_given_back_and_do_not_count()
    {
        var throttle = new ActivationThrottle(new InMemoryRateCounter(TimeProvider.System));
        var worker = Guid.NewGuid();
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await throttle.BeginAttemptAsync(worker));
            await throttle.ForgiveAsync(worker);
        }

        Assert.Null(await throttle.BeginAttemptAsync(worker));
    }

    [Fact]
    public async Task The_pause_ends_with_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new ActivationThrottle(new InMemoryRateCounter(time));
        var worker = Guid.NewGuid();
        for (var i = 0; i < ActivationThrottle.MaxFailures; i++)
        {
            await throttle.BeginAttemptAsync(worker);
        }

        Assert.NotNull(await throttle.BeginAttemptAsync(worker));
        time.Advance(ActivationThrottle.Window);
        Assert.Null(await throttle.BeginAttemptAsync(worker));
    }

    [Fact]
    public async Task Through_redis_two_instances_share_the_count()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        var prefix = $"cierto-test-{Guid.NewGuid():N}:";
        var instanceA = new ActivationThrottle(new RedisRateCounter(redis, prefix, new InMemoryRateCounter(TimeProvider.System)));
        var instanceB = new ActivationThrottle(new RedisRateCounter(redis, prefix, new InMemoryRateCounter(TimeProvider.System)));

        await AssertBlocksAfterFiveAsync(instanceA, instanceB);
    }

    [Fact]
    public async Task Twenty_concurrent_wrong_codes_let_at_most_the_limit_through_in_process()
    {
        var throttle = new ActivationThrottle(new InMemoryRateCounter(TimeProvider.System));
        Assert.Equal(ActivationThrottle.MaxFailures, await ConcurrentWrongCodesThatPassAsync(throttle));
    }

    [Fact]
    public async Task Twenty_concurrent_wrong_codes_let_at_most_the_limit_through_redis()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        var throttle = new ActivationThrottle(new RedisRateCounter(redis, $"cierto-test-{Guid.NewGuid():N}:", new InMemoryRateCounter(TimeProvider.System)));
        Assert.Equal(ActivationThrottle.MaxFailures, await ConcurrentWrongCodesThatPassAsync(throttle));
    }

    [Fact]
    public async Task A_counter_left_without_expiry_gets_one_at_the_next_hit()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await TestServers.RedisAsync());
        var prefix = $"cierto-test-{Guid.NewGuid():N}:";
        var key = $"{prefix}limits:activation-failures:{Guid.Empty:N}";
        await redis.GetDatabase().StringSetAsync(key, 99); // what a crash between INCR and EXPIRE used to leave

        var wait = await new ActivationThrottle(new RedisRateCounter(redis, prefix, new InMemoryRateCounter(TimeProvider.System))).BeginAttemptAsync(Guid.Empty);

        Assert.NotNull(wait);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(14), ActivationThrottle.Window);
    }

    [Fact]
    public async Task With_redis_unreachable_the_instance_still_throttles_on_its_own()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=200,asyncTimeout=200");
        var throttle = new ActivationThrottle(new RedisRateCounter(redis, "dead:", new InMemoryRateCounter(TimeProvider.System)));

        await AssertBlocksAfterFiveAsync(throttle, throttle);
    }
}
