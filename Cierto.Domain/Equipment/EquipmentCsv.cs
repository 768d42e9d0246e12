using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using CsvHelper;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Equipment;

public sealed record CsvRowError(int Line, string Message);

public sealed record CsvImportResult(int Imported, IReadOnlyList<CsvRowError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// Bulk import and export of a company's equipment as CSV (columns Name, InventoryNumber,
/// Category, Description, Location; the export adds Status and ActivationCode).
/// </summary>
public sealed class EquipmentCsv(CiertoDbContext db, IEventBus events, IValidator<EquipmentInput> rules, TimeProvider time)
{
    public const int MaxRows = 10_000;
    public static readonly string[] ImportColumns = ["Name", "InventoryNumber", "Category", "Description", "Location"];

    /// <summary>
    /// Checks every row first; then all good rows land together in one transaction and the bad
    /// ones are reported with their line numbers. A row is never half-written.
    /// </summary>
    public async Task<CsvImportResult> ImportAsync(Actor actor, TextReader csv, IProgress<int>? progress = null, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(csv);
        var company = actor.ManagedCompany(companyId);
        var (rows, errors) = Read(csv);
        if (rows is null)
        {
            return new CsvImportResult(0, errors);
        }

        if (rows.Count > MaxRows)
        {
            return new CsvImportResult(0, [new CsvRowError(1, Texts.Format("The file has {0} rows; at most {1} can be imported at once.", rows.Count, MaxRows))]);
        }

        var taken = (await db.Equipment.Where(e => e.CompanyId == company && e.InventoryNumber != null).Select(e => e.InventoryNumber!).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var good = new List<EquipmentItem>();
        foreach (var (line, row) in rows)
        {
            var input = row.ToInput();
            try
            {
                rules.ThrowIfInvalid(input);
                var item = new EquipmentItem(company, input.Name!, input.InventoryNumber, input.Category, input.Description, now);
                item.MoveTo(input.Location, now);
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
        return new CsvImportResult(good.Count, [.. errors.OrderBy(e => e.Line)]); // quoting errors are found while reading, the others after: the report goes by line
    }

    public async Task<string> ExportAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var company = actor.OverseenCompany(companyId);
        var items = await db.Equipment.AsNoTracking().Where(e => e.CompanyId == company).OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Select(e => new[] { e.Name, e.InventoryNumber, e.Category, e.Description, e.Location, e.Status.ToString(), e.ActivationCode })
            .ToListAsync(cancellationToken);
        return CsvText.Write([.. ImportColumns, "Status", "ActivationCode"], items);
    }

    /// <summary>
    /// The file's rows with the line each starts on (a quoted field may span lines), blank rows
    /// left out; null rows when the header is missing or lacks a Name column. Rows whose quotes do
    /// not pair up are skipped and reported.
    /// </summary>
    private static (List<(int Line, EquipmentCsvRow Row)>? Rows, List<CsvRowError> Errors) Read(TextReader csv)
    {
        var errors = new List<CsvRowError>();
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true,
            TrimWhitespace = false,
            NormalizeHeaderName = name => name.Replace(" ", string.Empty, StringComparison.Ordinal),
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => errors.Add(new CsvRowError((int)record.LineNumber, Texts.Get("The quotes on this line do not pair up. Put a value with commas, quotes or line breaks in double quotes, and double every quote inside it."))),
        };
        using var reader = CsvReader.Create(csv, options, leaveOpen: true);
        if (reader.Headers.Count == 0)
        {
            return (null, [new CsvRowError(1, Texts.Get("The file is empty. The first line must name the columns: Name, InventoryNumber, Category, Description."))]);
        }

        if (!reader.TryValidateHeader<EquipmentCsvRow>(out _))
        {
            return (null, [new CsvRowError(1, Texts.Get("The first line must name the columns, with at least a Name column (also InventoryNumber, Category, Description)."))]);
        }

        var rows = new List<(int, EquipmentCsvRow)>();
        while (reader.Read())
        {
            var row = reader.GetRecord<EquipmentCsvRow>();
            if (!row.IsBlank)
            {
                rows.Add(((int)reader.LineNumber, row));
            }
        }

        return (rows, errors);
    }
}
