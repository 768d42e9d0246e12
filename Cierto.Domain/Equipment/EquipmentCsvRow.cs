using CsvHelper;

namespace Cierto.Domain.Equipment;

/// <summary>
/// A row of an equipment import file, mapped by CsvHelper's generated reader: the Name column is
/// required, the others may be left out; header names match without spaces or case
/// ("Inventory number" is InventoryNumber).
/// </summary>
[CsvRecord]
public sealed partial class EquipmentCsvRow
{
    public string? Name { get; set; }

    [CsvColumn(Optional = true)]
    public string? InventoryNumber { get; set; }

    [CsvColumn(Optional = true)]
    public string? Category { get; set; }

    [CsvColumn(Optional = true)]
    public string? Description { get; set; }

    [CsvColumn(Optional = true)]
    public string? Location { get; set; }

    public bool IsBlank =>
        string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(InventoryNumber) && string.IsNullOrWhiteSpace(Category) && string.IsNullOrWhiteSpace(Description) && string.IsNullOrWhiteSpace(Location);

    public EquipmentInput ToInput() => new(Name, InventoryNumber, Category, Description, Location);
}
