using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Cierto.Domain.Live;

/// <summary>
/// Live "who is using what" events, one stream per company, and ended sign-in sessions, one stream
/// for the site. In-process for a single instance; Redis pub/sub when several instances serve one company.
/// </summary>
public interface IEventBus
{
    /// <summary>Call only after the change committed. Never throws for a transport failure.</summary>
    Task PublishAsync(EquipmentUsageChanged change, CancellationToken cancellationToken = default);

    /// <summary>Receives the company's events until the returned handle is disposed.</summary>
    IDisposable Subscribe(Guid companyId, Func<EquipmentUsageChanged, Task> handler);

    /// <summary>Ended sign-in sessions, for every instance (one stream for the whole site). Call only after the revocation committed; never throws for a transport failure.</summary>
    Task PublishAsync(SignInSessionsRevoked revoked, CancellationToken cancellationToken = default);

    /// <summary>Receives every instance's revocations until the returned handle is disposed.</summary>
    IDisposable SubscribeToRevocations(Func<SignInSessionsRevoked, Task> handler);

    /// <summary>Local subscribers, all companies (for tests and metrics).</summary>
    int SubscriberCount { get; }
}
