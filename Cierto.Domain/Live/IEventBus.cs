using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Cierto.Domain.Live;

/// <summary>
/// Live "who is using what" events, one stream per company. In-process for a single instance;
/// Redis pub/sub when several instances serve one company.
/// </summary>
public interface IEventBus
{
    /// <summary>Call only after the change committed. Never throws for a transport failure.</summary>
    Task PublishAsync(EquipmentUsageChanged change, CancellationToken cancellationToken = default);

    /// <summary>Receives the company's events until the returned handle is disposed.</summary>
    IDisposable Subscribe(Guid companyId, Func<EquipmentUsageChanged, Task> handler);

    /// <summary>Local subscribers, all companies (for tests and metrics).</summary>
    int SubscriberCount { get; }
}
