using Cierto.Domain.Live;
using Cierto.Domain.Telemetry;

namespace Cierto.Web.Infrastructure.Observability;

/// <summary>Counts the live events this instance publishes and hands to its subscribers, around whichever bus it runs (Redis or in-process).</summary>
internal sealed class CountingEventBus(IEventBus inner, UsageMetrics metrics) : IEventBus, IDisposable
{
    public int SubscriberCount => inner.SubscriberCount;

    public Task PublishAsync(EquipmentUsageChanged change, CancellationToken cancellationToken = default)
    {
        metrics.Published();
        return inner.PublishAsync(change, cancellationToken);
    }

    public IDisposable Subscribe(Guid companyId, Func<EquipmentUsageChanged, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return inner.Subscribe(companyId, change =>
        {
            metrics.Received();
            return handler(change);
        });
    }

    public Task PublishAsync(SignInSessionsRevoked revoked, CancellationToken cancellationToken = default) => inner.PublishAsync(revoked, cancellationToken);

    public IDisposable SubscribeToRevocations(Func<SignInSessionsRevoked, Task> handler) => inner.SubscribeToRevocations(handler);

    /// <summary>The container disposes this wrapper, which owns the bus inside (Redis subscriptions).</summary>
    public void Dispose() => (inner as IDisposable)?.Dispose();
}
