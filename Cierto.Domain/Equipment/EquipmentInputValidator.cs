using Cierto.Domain.Common.Validation;

namespace Cierto.Domain.Equipment;

/// <summary>An item as an admin types it or a CSV row gives it.</summary>
public sealed class EquipmentInputValidator : CiertoValidator<EquipmentInput>
{
    public EquipmentInputValidator()
    {
        RuleFor(e => e.Name).RequiredText("Name", EquipmentItem.NameMaxLength);
        RuleFor(e => e.InventoryNumber).OptionalText("Inventory number", EquipmentItem.InventoryNumberMaxLength);
        RuleFor(e => e.Category).OptionalText("Category", EquipmentItem.CategoryMaxLength);
        RuleFor(e => e.Location).OptionalText("Location", EquipmentItem.LocationMaxLength);
        RuleFor(e => e.Description).OptionalText("Description", EquipmentItem.DescriptionMaxLength, multiline: true);
    }
}
