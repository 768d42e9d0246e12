namespace Cierto.Web.Components.Pages.Equipment.Components;

/// <summary>The changes an admin makes to an item from the list, the item page or the dashboard (see <see cref="EquipmentActions"/>).</summary>
public enum EquipmentAction
{
    OutOfService,
    BackInService,
    RegenerateCode,
    Retire,
    Delete,
}
