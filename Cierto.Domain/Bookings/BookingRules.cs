using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Bookings;

/// <summary>
/// A company's booking settings. <see cref="GraceMinutes"/> is the slack on both sides of a booking:
/// others cannot take the item from that long before it starts, and its holder is overdue only that
/// long after it ends. <see cref="ReminderMinutes"/> of 0 sends no reminder.
/// </summary>
public sealed record BookingRules(bool WorkersMayBook, int MaxHours, int HorizonDays, int GraceMinutes, int ReminderMinutes)
{
    public static readonly BookingRules Default = new(true, 72, 60, 15, 60);

    public const int MaxHoursLimit = 24 * 90;
    public const int HorizonDaysLimit = 365;
    public const int GraceMinutesLimit = 240;
    public const int ReminderMinutesLimit = 24 * 60 * 7;

    public TimeSpan Grace => TimeSpan.FromMinutes(GraceMinutes);

    /// <summary>Each value in its range, or a message per field (keyed as the settings form names them).</summary>
    public void ThrowIfInvalid()
    {
        var errors = new Dictionary<string, string[]>();
        if (MaxHours is < 1 or > MaxHoursLimit)
        {
            errors[nameof(MaxHours)] = [Texts.Format("The longest booking must be between 1 and {0} hours.", MaxHoursLimit)];
        }

        if (HorizonDays is < 1 or > HorizonDaysLimit)
        {
            errors[nameof(HorizonDays)] = [Texts.Format("How far ahead must be between 1 and {0} days.", HorizonDaysLimit)];
        }

        if (GraceMinutes is < 0 or > GraceMinutesLimit)
        {
            errors[nameof(GraceMinutes)] = [Texts.Format("The grace period must be between 0 and {0} minutes.", GraceMinutesLimit)];
        }

        if (ReminderMinutes is < 0 or > ReminderMinutesLimit)
        {
            errors[nameof(ReminderMinutes)] = [Texts.Format("The reminder must be between 0 and {0} minutes before the start.", ReminderMinutesLimit)];
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }
    }
}
