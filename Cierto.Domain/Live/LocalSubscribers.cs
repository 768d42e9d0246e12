using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Cierto.Domain.Live;

/// <summary>The handlers of this instance, by company; shared by both bus implementations.</summary>
public sealed class LocalSubscribers
{
    private readonly ConcurrentDictionary<Guid, ImmutableList<Func<EquipmentUsageChanged, Task>>> handlers = new();

    public int Count => handlers.Values.Sum(h => h.Count);

    public IEnumerable<Guid> Companies => handlers.Where(h => !h.Value.IsEmpty).Select(h => h.Key);

    /// <summary>Adds a handler; returns true when it is the company's first.</summary>
    public bool Add(Guid companyId, Func<EquipmentUsageChanged, Task> handler)
    {
        var list = handlers.AddOrUpdate(companyId, _ => [handler], (_, existing) => existing.Add(handler));
        return list.Count == 1;
    }

    /// <summary>Removes a handler; returns true when the company has none left.</summary>
    public bool Remove(Guid companyId, Func<EquipmentUsageChanged, Task> handler)
    {
        while (handlers.TryGetValue(companyId, out var existing))
        {
            var updated = existing.Remove(handler);
            if (updated.IsEmpty ? handlers.TryRemove(new KeyValuePair<Guid, ImmutableList<Func<EquipmentUsageChanged, Task>>>(companyId, existing)) : handlers.TryUpdate(companyId, updated, existing))
            {
                return updated.IsEmpty;
            }
        }

        return true;
    }

    /// <summary>Runs every handler of the company; one failing handler does not stop the others.</summary>
    public async Task DeliverAsync(EquipmentUsageChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!handlers.TryGetValue(change.CompanyId, out var list))
        {
            return;
        }

        foreach (var handler in list)
        {
            try
            {
                await handler(change);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A disposed or broken subscriber must not block the others.
            }
        }
    }

    public async Task DeliverToAllAsync(Func<Guid, EquipmentUsageChanged> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var company in Companies.ToList())
        {
            await DeliverAsync(change(company));
        }
    }
}
