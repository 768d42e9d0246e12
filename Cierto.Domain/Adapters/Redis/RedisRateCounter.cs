using Cierto.Domain.Limits;
using StackExchange.Redis;

namespace Cierto.Domain.Adapters.Redis;

/// <summary>
/// Counters in Redis, shared by every instance. One Lua script increments and, when the key has no
/// expiry yet, sets it, so no crash between two commands can leave a counter that never ends.
/// While Redis cannot be reached, this instance's own counters stand in.
/// </summary>
public sealed class RedisRateCounter(IConnectionMultiplexer redis, string prefix, InMemoryRateCounter fallback) : IRateCounter
{
    private static readonly LuaScript Hit = LuaScript.Prepare(
        """
        local count = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { count, ttl }
        """);

    private static readonly LuaScript Undo = LuaScript.Prepare(
        """
        if redis.call('GET', @key) and tonumber(redis.call('GET', @key)) > 0 then
          return redis.call('DECR', @key)
        end
        return 0
        """);

    public async Task<RateCount> HitAsync(string key, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Hit, new { key = Key(key), window = (long)window.TotalMilliseconds }))!;
            return new RateCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await fallback.HitAsync(key, window);
        }
    }

    public async Task UndoAsync(string key)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(Undo, new { key = Key(key) });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await fallback.UndoAsync(key);
        }
    }

    private RedisKey Key(string key) => $"{prefix}limits:{key}";
}
