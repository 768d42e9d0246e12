using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Equipment;

public enum EquipmentStatus
{
    Available = 0,
    OutOfService = 1,
    Retired = 2,
}

/// <summary>
/// A piece of a company's equipment. Whether it is in use is not a status: it is the existence
/// of an active <see cref="Usage.UsageSession"/>, which the database keeps to at most one.
/// </summary>
public sealed class EquipmentItem
{
    public const int NameMaxLength = 200;
    public const int InventoryNumberMaxLength = 64;
    public const int CategoryMaxLength = 100;
    public const int LocationMaxLength = 100;
    public const int DescriptionMaxLength = 2000;
    public const int ActivationCodeLength = 7;
    public const int ActivationCodeMinLength = 6;
    public const int ActivationCodeMaxLength = 8;

    private EquipmentItem()
    {
    }

    public EquipmentItem(Guid companyId, string name, string? inventoryNumber, string? category, string? description, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CompanyId = companyId;
        CreatedAt = now;
        Update(name, inventoryNumber, category, description, now);
        ActivationCode = Codes.Generate(ActivationCodeLength);
    }

    public Guid Id { get; private set; }

    public Guid CompanyId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string? InventoryNumber { get; private set; }

    public string? Category { get; private set; }

    public string? Description { get; private set; }

    /// <summary>Where the item is kept (a yard, a van, a site); optional, used to filter and to count stock by place.</summary>
    public string? Location { get; private set; }

    /// <summary>Normalised (no dashes, upper case), unique within the company.</summary>
    public string ActivationCode { get; private set; } = string.Empty;

    public EquipmentStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Its usage history, for queries ("is it held right now?"); never loaded whole.</summary>
    public ICollection<Usage.UsageSession> Sessions { get; private set; } = [];

    /// <summary>Optimistic concurrency token, renewed on every change.</summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    /// <summary>Takes input the request validator (<see cref="EquipmentService"/>) has checked; stores it trimmed, blanks as none.</summary>
    public void Update(string name, string? inventoryNumber, string? category, string? description, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
        InventoryNumber = Trimmed(inventoryNumber);
        Category = Trimmed(category);
        Description = Trimmed(description);
        Touch(now);
    }

    /// <summary>Where the item is kept now; blank for nowhere in particular.</summary>
    public void MoveTo(string? location, DateTimeOffset now)
    {
        Location = Trimmed(location);
        Touch(now);
    }

    public void RegenerateActivationCode(DateTimeOffset now)
    {
        ActivationCode = Codes.Generate(ActivationCodeLength);
        Touch(now);
    }

    public void MarkOutOfService(DateTimeOffset now)
    {
        EnsureNotRetired();
        Status = EquipmentStatus.OutOfService;
        Touch(now);
    }

    public void ReturnToService(DateTimeOffset now)
    {
        EnsureNotRetired();
        Status = EquipmentStatus.Available;
        Touch(now);
    }

    public void Retire(DateTimeOffset now)
    {
        Status = EquipmentStatus.Retired;
        Touch(now);
    }

    private void EnsureNotRetired()
    {
        if (Status == EquipmentStatus.Retired)
        {
            throw new DomainException("equipment_retired", Texts.Get("This item is retired."));
        }
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
