using System.Text;
using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Equipment;

public sealed record CsvRowError(int Line, string Message);

public sealed record CsvImportResult(int Imported, IReadOnlyList<CsvRowError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// Bulk import and export of a company's equipment as CSV (columns Name, InventoryNumber,
/// Category, Description; the export adds Status and ActivationCode).
/// </summary>
public sealed class EquipmentCsv(CiertoDbContext db, IEventBus events, TimeProvider time)
{
    public const int MaxRows = 10_000;
    public static readonly string[] ImportColumns = ["Name", "InventoryNumber", "Category", "Description"];

    /// <summary>
    /// Checks every row first; then all good rows land together in one transaction and the bad
    /// ones are reported with their line numbers. A row is never half-written.
    /// </summary>
    public async Task<CsvImportResult> ImportAsync(Actor actor, TextReader csv, IProgress<int>? progress = null, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(csv);
        var company = actor.ManagedCompany(companyId);
        var errors = new List<CsvRowError>();
        var records = Csv.Read(csv).ToList();
        if (records.Count == 0)
        {
            return new CsvImportResult(0, [new CsvRowError(1, Texts.Get("The file is empty. The first line must name the columns: Name, InventoryNumber, Category, Description."))]);
        }

        var header = records[0].Fields.Select(h => h.Trim().Replace(" ", string.Empty, StringComparison.Ordinal)).ToList();
        var index = ImportColumns.ToDictionary(c => c, c => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)));
        if (index["Name"] < 0)
        {
            return new CsvImportResult(0, [new CsvRowError(1, Texts.Get("The first line must name the columns, with at least a Name column (also InventoryNumber, Category, Description)."))]);
        }

        var rows = records.Skip(1).Where(r => r.Fields.Any(f => !string.IsNullOrWhiteSpace(f))).ToList();
        if (rows.Count > MaxRows)
        {
            return new CsvImportResult(0, [new CsvRowError(1, Texts.Format("The file has {0} rows; at most {1} can be imported at once.", rows.Count, MaxRows))]);
        }

        var taken = (await db.Equipment.Where(e => e.CompanyId == company && e.InventoryNumber != null).Select(e => e.InventoryNumber!).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var good = new List<EquipmentItem>();
        foreach (var (line, fields) in rows)
        {
            string? Field(string column) => index[column] >= 0 && index[column] < fields.Count ? fields[index[column]] : null;
            var input = new EquipmentInput(Field("Name"), Field("InventoryNumber"), Field("Category"), Field("Description"));
            try
            {
                EquipmentService.Validate(input);
                var item = new EquipmentItem(company, input.Name!, input.InventoryNumber, input.Category, input.Description, now);
                if (item.InventoryNumber is { } number && !taken.Add(number))
                {
                    errors.Add(new CsvRowError(line, Texts.Format("Inventory number {0} is already used by another item.", number)));
                    continue;
                }

                good.Add(item);
            }
            catch (ValidationException ex)
            {
                errors.Add(new CsvRowError(line, ex.Message));
            }
        }

        if (good.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var i = 0; i < good.Count; i += 500)
            {
                db.Equipment.AddRange(good.Skip(i).Take(500));
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                progress?.Report(Math.Min(100, (i + 500) * 100 / good.Count));
            }

            db.Record(now, actor, company, "equipment.imported", "Equipment", null, $"{good.Count} items, {errors.Count} rows refused");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await events.PublishAsync(new EquipmentUsageChanged(company, null, null, UsageChangeKind.EquipmentChanged, now), cancellationToken);
        }

        progress?.Report(100);
        return new CsvImportResult(good.Count, errors);
    }

    public async Task<string> ExportAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.OverseenCompany(companyId);
        var builder = new StringBuilder();
        builder.AppendLine(Csv.Line([.. ImportColumns, "Status", "ActivationCode"]));
        var items = db.Equipment.AsNoTracking().Where(e => e.CompanyId == company).OrderBy(e => e.Name).ThenBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var e in items.WithCancellation(cancellationToken))
        {
            builder.AppendLine(Csv.Line([e.Name, e.InventoryNumber, e.Category, e.Description, e.Status.ToString(), e.ActivationCode]));
        }

        return builder.ToString();
    }
}
