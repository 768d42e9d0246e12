namespace Cierto.Domain.Live;

public sealed class InProcessEventBus : IEventBus
{
    private readonly LocalSubscribers subscribers = new();
    private readonly RevocationSubscribers revocations = new();

    public int SubscriberCount => subscribers.Count;

    public Task PublishAsync(EquipmentUsageChanged change, CancellationToken cancellationToken = default) => subscribers.DeliverAsync(change);

    public Task PublishAsync(SignInSessionsRevoked revoked, CancellationToken cancellationToken = default) => revocations.DeliverAsync(revoked);

    public IDisposable SubscribeToRevocations(Func<SignInSessionsRevoked, Task> handler) => revocations.Add(handler);

    public IDisposable Subscribe(Guid companyId, Func<EquipmentUsageChanged, Task> handler)
    {
        subscribers.Add(companyId, handler);
        return new Subscription(() => subscribers.Remove(companyId, handler));
    }
}
