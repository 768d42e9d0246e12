namespace Cierto.Domain.Live;

public enum UsageChangeKind
{
    Activated,
    Deactivated,
    ForceReleased,

    /// <summary>The item itself changed (added, edited, out of service, retired, deleted).</summary>
    EquipmentChanged,

    /// <summary>Not a change: the bus may have missed events (Redis was away); reload from the database.</summary>
    Resync,

    /// <summary>A booking of the item was made, moved or cancelled, or one became overdue or blocked (last: the values travel between instances as numbers).</summary>
    BookingsChanged,

    /// <summary>An item was counted in a stock-take, or one was finished.</summary>
    StockTakeScanned,
}

/// <summary>Published after the change has committed; subscribers reload what they show.</summary>
public sealed record EquipmentUsageChanged(Guid CompanyId, Guid? EquipmentId, Guid? WorkerId, UsageChangeKind Kind, DateTimeOffset At);
