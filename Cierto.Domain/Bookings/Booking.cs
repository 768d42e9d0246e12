namespace Cierto.Domain.Bookings;

/// <summary>
/// An item reserved for one worker over a time range [<see cref="StartsAt"/>, <see cref="EndsAt"/>).
/// No two bookings of one item overlap: on PostgreSQL an exclusion constraint settles it (see
/// <see cref="Data.Configurations.BookingConfiguration"/>), on SQLite the check inside the write
/// transaction, which SQLite runs one at a time. A cancelled booking is deleted (the audit log keeps it).
/// </summary>
public sealed class Booking
{
    public const int NoteMaxLength = 500;

    private Booking()
    {
    }

    public Booking(Guid companyId, Guid equipmentId, Guid workerId, DateTimeOffset startsAt, DateTimeOffset endsAt, string? note, Guid createdById, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CompanyId = companyId;
        EquipmentId = equipmentId;
        CreatedById = createdById;
        CreatedAt = now;
        Change(workerId, startsAt, endsAt, note);
    }

    public Guid Id { get; private set; }

    public Guid CompanyId { get; private set; }

    public Guid EquipmentId { get; private set; }

    /// <summary>Whom the item is reserved for.</summary>
    public Guid WorkerId { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public DateTimeOffset EndsAt { get; private set; }

    public string? Note { get; private set; }

    public Guid CreatedById { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The range and note after an edit (the rules are <see cref="BookingService"/>'s, checked before).</summary>
    public void Change(Guid workerId, DateTimeOffset startsAt, DateTimeOffset endsAt, string? note)
    {
        WorkerId = workerId;
        StartsAt = startsAt.ToUniversalTime();
        EndsAt = endsAt.ToUniversalTime();
        note = note?.Trim();
        Note = string.IsNullOrEmpty(note) ? null : note;
    }

    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => StartsAt < to && from < EndsAt;
}
