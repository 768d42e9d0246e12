namespace Cierto.Domain.StockTakes;

/// <summary>
/// An admin-led count of what is really in the yard: the company's items (optionally of one
/// category or location) against what admins scan. Open until finished; then its report is kept.
/// </summary>
public sealed class StockTake
{
    private StockTake()
    {
    }

    public StockTake(Guid companyId, string? category, string? location, Guid startedById, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CompanyId = companyId;
        Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        Location = string.IsNullOrWhiteSpace(location) ? null : location.Trim();
        StartedById = startedById;
        StartedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid CompanyId { get; private set; }

    /// <summary>Only items of this category are expected (null: every category).</summary>
    public string? Category { get; private set; }

    /// <summary>Only items kept at this location are expected (null: everywhere).</summary>
    public string? Location { get; private set; }

    public Guid StartedById { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public Guid? FinishedById { get; private set; }

    /// <summary>When the missing items were put out of service from the report (once).</summary>
    public DateTimeOffset? MissingMarkedAt { get; private set; }

    public bool IsOpen => FinishedAt is null;

    public void Finish(Guid by, DateTimeOffset now) => (FinishedAt, FinishedById) = (now, by);

    public void MissingMarked(DateTimeOffset now) => MissingMarkedAt = now;
}

/// <summary>An item found during a stock-take: once per item, whoever scanned it first (a unique index settles two admins scanning it at once).</summary>
public sealed class StockTakeScan
{
    private StockTakeScan()
    {
    }

    public StockTakeScan(Guid stockTakeId, Guid equipmentId, Guid scannedById, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        StockTakeId = stockTakeId;
        EquipmentId = equipmentId;
        ScannedById = scannedById;
        ScannedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid StockTakeId { get; private set; }

    public Guid EquipmentId { get; private set; }

    public Guid ScannedById { get; private set; }

    public DateTimeOffset ScannedAt { get; private set; }
}

public enum StockTakeOutcome
{
    /// <summary>Expected and not found.</summary>
    Missing,

    /// <summary>Found, available, nobody holding it: all is well.</summary>
    Found,

    /// <summary>Found while out of service.</summary>
    FoundOutOfService,

    /// <summary>Found though retired (it should not be in the yard).</summary>
    FoundRetired,

    /// <summary>Found while someone holds it (it should be out with them).</summary>
    FoundHeld,
}

/// <summary>A line of a finished stock-take's report, kept as it was at the end (items change afterwards).</summary>
public sealed class StockTakeLine
{
    private StockTakeLine()
    {
    }

    public StockTakeLine(Guid stockTakeId, Guid equipmentId, string name, string? inventoryNumber, string? location, StockTakeOutcome outcome, string? holderName)
    {
        Id = Guid.NewGuid();
        StockTakeId = stockTakeId;
        EquipmentId = equipmentId;
        Name = name;
        InventoryNumber = inventoryNumber;
        Location = location;
        Outcome = outcome;
        HolderName = holderName;
    }

    public Guid Id { get; private set; }

    public Guid StockTakeId { get; private set; }

    public Guid EquipmentId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string? InventoryNumber { get; private set; }

    public string? Location { get; private set; }

    public StockTakeOutcome Outcome { get; private set; }

    public string? HolderName { get; private set; }
}
