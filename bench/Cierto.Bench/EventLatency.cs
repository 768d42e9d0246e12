using System.Diagnostics;
using Cierto.Domain.Adapters.Redis;
using Cierto.Domain.Live;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cierto.Bench;

/// <summary>
/// Live-event latency: instance A publishes (as a service does right after its commit), instance B
/// has 1, 100 or 1,000 dashboards subscribed to the company. Measured per event until every
/// subscriber on B has run its handler.
/// </summary>
internal static class EventLatency
{
    public static async Task RunAsync(string redisConnection, int events)
    {
        Results.Note($"Event latency through Redis ({redisConnection}), {events} events per row after 20 warm-up events.");
        var table = Results.Table("subscribers on B", "median ms", "p99 ms", "max ms");
        foreach (var subscribers in new[] { 1, 100, 1000 })
        {
            var prefix = $"bench-{Guid.NewGuid():N}:";
            await using var redisA = await ConnectionMultiplexer.ConnectAsync(redisConnection);
            await using var redisB = await ConnectionMultiplexer.ConnectAsync(redisConnection);
            using var busA = new RedisEventBus(redisA, prefix, NullLogger<RedisEventBus>.Instance);
            using var busB = new RedisEventBus(redisB, prefix, NullLogger<RedisEventBus>.Instance);
            var company = Guid.NewGuid();
            var remaining = 0;
            var done = new TaskCompletionSource();
            var handles = Enumerable.Range(0, subscribers).Select(_ => busB.Subscribe(company, _ =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    done.TrySetResult();
                }

                return Task.CompletedTask;
            })).ToList();
            await Task.Delay(300);

            var timings = new List<double>();
            for (var i = 0; i < events + 20; i++)
            {
                Volatile.Write(ref remaining, subscribers);
                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var started = Stopwatch.GetTimestamp();
                await busA.PublishAsync(new EquipmentUsageChanged(company, Guid.NewGuid(), Guid.NewGuid(), UsageChangeKind.Activated, DateTimeOffset.UtcNow));
                await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
                if (i >= 20)
                {
                    timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            handles.ForEach(h => h.Dispose());
            timings.Sort();
            table.Add($"{subscribers:N0}", $"{Stats.Percentile(timings, 0.50):0.000}", $"{Stats.Percentile(timings, 0.99):0.000}", $"{timings[^1]:0.000}");
        }
    }
}

internal static class Stats
{
    public static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
