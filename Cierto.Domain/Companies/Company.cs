using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Companies;

public enum CompanyStatus
{
    Active = 0,
    Suspended = 1,
}

public enum JoinPolicy
{
    ApprovalRequired = 0,
    AutoApprove = 1,
}

public sealed class Company
{
    public const int NameMaxLength = 200;
    public const int IdentificationNumberMaxLength = 32;
    public const int JoinCodeLength = 8;

    private Company()
    {
    }

    public Company(string name, string identificationNumber, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        Rename(name);
        IdentificationNumber = NormalizeIdentificationNumber(identificationNumber);
        if (IdentificationNumber.Length == 0)
        {
            throw new DomainException("invalid_identification_number", Texts.Get("Company identification number is required."));
        }

        JoinCode = Codes.Generate(JoinCodeLength);
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>Normalised (upper case, no spaces or dashes): the form the unique index compares.</summary>
    public string IdentificationNumber { get; private set; } = string.Empty;

    public string JoinCode { get; private set; } = string.Empty;

    public CompanyStatus Status { get; private set; }

    public JoinPolicy JoinPolicy { get; private set; }

    /// <summary>How many items one worker may hold at once; null means no cap.</summary>
    public int? MaxActiveItemsPerWorker { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The admin who registered the company (or was set up with it by Support): no other admin can disable or demote them.</summary>
    public Guid? FounderId { get; private set; }

    /// <summary>IANA time zone in which the company reads times and counts its days.</summary>
    public string TimeZone { get; private set; } = CompanyTime.Default;

    /// <summary>Whether workers book for themselves (admins always may book for anyone of the company).</summary>
    public bool WorkersMayBook { get; private set; } = BookingRules.Default.WorkersMayBook;

    public int MaxBookingHours { get; private set; } = BookingRules.Default.MaxHours;

    public int BookingHorizonDays { get; private set; } = BookingRules.Default.HorizonDays;

    public int BookingGraceMinutes { get; private set; } = BookingRules.Default.GraceMinutes;

    public int BookingReminderMinutes { get; private set; } = BookingRules.Default.ReminderMinutes;

    public BookingRules BookingRules => new(WorkersMayBook, MaxBookingHours, BookingHorizonDays, BookingGraceMinutes, BookingReminderMinutes);

    public void SetBookingRules(BookingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.ThrowIfInvalid();
        (WorkersMayBook, MaxBookingHours, BookingHorizonDays, BookingGraceMinutes, BookingReminderMinutes) = (rules.WorkersMayBook, rules.MaxHours, rules.HorizonDays, rules.GraceMinutes, rules.ReminderMinutes);
    }

    public void SetTimeZone(string? id)
    {
        if (!CompanyTime.IsKnown(id))
        {
            throw ValidationException.For("TimeZone", Texts.Get("Choose a time zone from the list, e.g. Europe/Berlin."));
        }

        TimeZone = id!;
    }

    public void FoundedBy(Guid adminId) => FounderId ??= adminId;

    public static string NormalizeIdentificationNumber(string? value) => Codes.Normalize(value);

    public void Rename(string name)
    {
        name = name?.Trim() ?? string.Empty;
        if (name.Length == 0 || name.Length > NameMaxLength)
        {
            throw new DomainException("invalid_company_name", Texts.Format("Company name must be 1 to {0} characters.", NameMaxLength));
        }

        Name = name;
    }

    public void RotateJoinCode() => JoinCode = Codes.Generate(JoinCodeLength);

    public void SetJoinPolicy(JoinPolicy policy) => JoinPolicy = policy;

    public void SetActiveItemCap(int? cap)
    {
        if (cap is < 1 or > 1000)
        {
            throw new DomainException("invalid_cap", Texts.Get("The cap must be between 1 and 1000, or empty for no cap."));
        }

        MaxActiveItemsPerWorker = cap;
    }

    /// <summary>Its members cannot sign in and its join code stops working (see CompanyService.SuspendAsync).</summary>
    public void Suspend() => Status = CompanyStatus.Suspended;

    public void Reactivate() => Status = CompanyStatus.Active;

    /// <summary>Whether the company of <paramref name="companyId"/> (none for staff) is suspended.</summary>
    public static Task<bool> IsSuspendedAsync(IQueryable<Company> companies, Guid? companyId, CancellationToken cancellationToken = default) =>
        companyId is { } id ? companies.AnyAsync(c => c.Id == id && c.Status == CompanyStatus.Suspended, cancellationToken) : Task.FromResult(false);
}
