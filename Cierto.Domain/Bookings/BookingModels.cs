namespace Cierto.Domain.Bookings;

/// <summary>
/// What a booking request asks for. <see cref="WorkerId"/> is for an admin booking for someone;
/// a worker books for themself (null, or their own id).
/// </summary>
public sealed record BookingInput(Guid EquipmentId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Note = null, Guid? WorkerId = null);

public sealed record BookingFilter(Guid? EquipmentId = null, Guid? WorkerId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public enum BookingState
{
    /// <summary>Not started yet.</summary>
    Upcoming,

    /// <summary>Running, and its holder has not taken the item (yet).</summary>
    Current,

    /// <summary>Running, and its holder has the item.</summary>
    CheckedOut,

    /// <summary>Over, and the item is not held by its holder.</summary>
    Ended,

    /// <summary>Over (and its grace too), and its holder still has the item.</summary>
    Overdue,
}

/// <summary>
/// A booking as a list shows it. <see cref="WorkerName"/> is null when the reader may not know who
/// booked (another worker's booking, read by a worker).
/// </summary>
public sealed record BookingRow(
    Guid Id,
    Guid EquipmentId,
    string EquipmentName,
    string? InventoryNumber,
    Guid WorkerId,
    string? WorkerName,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Note,
    bool HolderHasItem,
    bool Mine)
{
    /// <summary>Where the booking stands when it was read (see <see cref="StateAt"/>).</summary>
    public BookingState State { get; init; }

    public BookingState StateAt(DateTimeOffset now, TimeSpan grace) =>
        now < StartsAt ? BookingState.Upcoming
        : now < EndsAt ? (HolderHasItem ? BookingState.CheckedOut : BookingState.Current)
        : HolderHasItem && now >= EndsAt + grace ? BookingState.Overdue
        : HolderHasItem ? BookingState.CheckedOut
        : BookingState.Ended;
}

/// <summary>A stretch of time in which an item is booked (by the reader, or — unnamed for a worker — by someone else).</summary>
public sealed record BookedRange(Guid BookingId, DateTimeOffset From, DateTimeOffset To, string? WorkerName, bool Mine);

/// <summary>An item's bookings between two instants, the gaps between them, and whether someone holds it now.</summary>
public sealed record Availability(Guid EquipmentId, string EquipmentName, DateTimeOffset From, DateTimeOffset To, bool InUseNow, IReadOnlyList<BookedRange> Booked, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Free);

/// <summary>The next booking of a free item, as the free-equipment list shows it ("free now, booked from 14:00").</summary>
public sealed record NextBooking(DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Mine);

/// <summary>An item someone still holds after their booking ended (and its grace).</summary>
public sealed record OverdueRow(Guid CompanyId, Guid BookingId, Guid EquipmentId, string EquipmentName, Guid WorkerId, string WorkerName, DateTimeOffset EndedAt);

/// <summary>An item held by someone else after another worker's booking of it started.</summary>
public sealed record BlockedRow(Guid CompanyId, Guid BookingId, Guid EquipmentId, string EquipmentName, string BookedFor, string HeldBy, DateTimeOffset StartsAt);

/// <summary>An item that can be booked, as a picker lists it (no activation code: workers pick too).</summary>
public sealed record BookableItem(Guid Id, string Name, string? InventoryNumber);

/// <summary>Someone an admin can book for.</summary>
public sealed record BookableWorker(Guid Id, string DisplayName);
