using System.Globalization;
using System.Text;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;

namespace Cierto.Web.Endpoints;

/// <summary>CSV downloads for the equipment, usage-history and audit pages (cookie-authenticated).</summary>
internal static class EquipmentExports
{
    public static IEndpointRouteBuilder MapEquipmentExports(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty)
            .RequireAuthorization(Policies.CompanyReader) // with two-factor set-up where the role requires it, like every page
            .AddEndpointFilter<Cierto.Web.Api.DomainExceptionFilter>() // another company's id is a 404, like a missing one (not a 500)
            .ExcludeFromDescription();

        group.MapGet("/equipment/export.csv", async (HttpContext http, EquipmentCsv csv, Guid? company, CancellationToken cancellationToken) =>
        {
            var text = await csv.ExportAsync(http.User.RequireActor(), company, cancellationToken);
            return CsvFile(text, "equipment");
        });

        group.MapGet("/stock-takes/{id:guid}/report.csv", async (Guid id, HttpContext http, Cierto.Domain.StockTakes.StockTakeService stockTakes, Guid? company, CancellationToken cancellationToken) =>
        {
            var lines = await stockTakes.ReportAsync(http.User.RequireActor(), id, company, cancellationToken);
            var text = CsvText.Write(
                ["Item", "InventoryNumber", "Location", "Outcome", "HeldBy"],
                lines.Select(l => new[] { l.Name, l.InventoryNumber, l.Location, l.Outcome.ToString(), l.HolderName }));
            return CsvFile(text, "stock-take");
        });

        group.MapGet("/usage-history/export.csv", async (HttpContext http, UsageHistory history, Cierto.Domain.Companies.CompanyService companies, TimeProvider time, Guid? company, Guid? equipment, Guid? worker, DateTimeOffset? from, DateTimeOffset? to, bool? active, CancellationToken cancellationToken) =>
        {
            var actor = http.User.RequireActor();
            var rows = await history.ExportAsync(actor, new UsageFilter(equipment, worker, from?.ToUniversalTime(), to?.ToUniversalTime(), active), company, cancellationToken);
            var zoneId = (await companies.GetAsync(actor, company, cancellationToken)).TimeZone;
            var zone = CompanyTime.Zone(zoneId);
            var now = time.GetUtcNow();
            static string? Clock(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

            // The company's own clock for people, UTC beside it for machines.
            var text = CsvText.Write(
                ["Item", "InventoryNumber", "Worker", $"Started ({zoneId})", $"Ended ({zoneId})", "StartedUtc", "EndedUtc", "DurationMinutes", "EndedBy", "Reason"],
                rows.Select(r => new[]
                {
                    r.EquipmentName,
                    r.InventoryNumber,
                    r.WorkerName,
                    Clock(CompanyTime.ToLocal(zone, r.StartedAt)),
                    Clock(r.EndedAt is { } ended ? CompanyTime.ToLocal(zone, ended) : null),
                    Clock(r.StartedAt.ToUniversalTime()),
                    Clock(r.EndedAt?.ToUniversalTime()),
                    ((int)r.Duration(now).TotalMinutes).ToString(CultureInfo.InvariantCulture),
                    r.EndKind?.ToString(),
                    r.EndReason,
                }));
            return CsvFile(text, "usage");
        });

        // The audit log, for Root and Support only (the page's filters, UTC).
        group.MapGet("/root/audit/export.csv", async (HttpContext http, AuditService audit, Guid? company, string? user, string? action, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        {
            var rows = await audit.ExportAsync(http.User.RequireActor(), new AuditQuery(company, user, action, from, to), cancellationToken);
            var text = CsvText.Write(
                ["TimeUtc", "UserId", "UserName", "UserEmail", "CompanyId", "Company", "Action", "TargetType", "TargetId", "Details"],
                rows.Select(r => new[]
                {
                    r.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    r.ActorId?.ToString(),
                    r.ActorName,
                    r.ActorEmail,
                    r.CompanyId?.ToString(),
                    r.CompanyName,
                    r.Action,
                    r.TargetType,
                    r.TargetId,
                    r.Details,
                }));
            return CsvFile(text, "audit");
        }).RequireAuthorization(Policies.Staff);

        return endpoints;
    }

    /// <summary>UTF-8 with a byte-order mark, so spreadsheet programs read accented names right.</summary>
    private static IResult CsvFile(string text, string name) =>
        Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)], "text/csv", $"{name}-{DateTime.UtcNow:yyyyMMdd}.csv");
}
