using Cierto.Domain.Common;
using Cierto.Domain.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

public sealed record CurrentUsage(Guid SessionId, Guid EquipmentId, string EquipmentName, Guid WorkerId, string WorkerName, DateTimeOffset StartedAt);

public sealed record UsageHistoryRow(Guid SessionId, Guid EquipmentId, string EquipmentName, Guid WorkerId, string WorkerName, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? EndedBy, string? Reason);

/// <summary>The company admin's view of who uses what, and force-release.</summary>
public static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/usage").WithTags("Usage").RequireAuthorization(ApiExtensions.CompanyAdmin);

        group.MapGet("/current", CurrentAsync).WithName("CurrentUsage").WithSummary("Every item in use right now, who holds it and since when.").Produces<IReadOnlyList<CurrentUsage>>();
        group.MapGet("/history", HistoryAsync).WithName("UsageHistory").WithSummary("Usage sessions, newest first (from, to, equipmentId, workerId, page, pageSize ≤ 200).").Produces<Paged<UsageHistoryRow>>();
        group.MapPost("/{sessionId:guid}/force-release", ForceReleaseAsync).WithName("ForceRelease").WithSummary("End someone's use of an item, with a reason they are told.")
            .Produces<EndResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// Read from the database, not from the dashboards' shared picture: a phone that has just
    /// activated must see its own activation even before the event reached this instance.
    /// </summary>
    private static async Task<Ok<IReadOnlyList<CurrentUsage>>> CurrentAsync(HttpContext http, UsageHistory history)
    {
        var held = await history.HeldNowAsync(http.Actor(), cancellationToken: http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<CurrentUsage>>(held.Select(h => new CurrentUsage(h.SessionId, h.EquipmentId, h.EquipmentName, h.WorkerId, h.WorkerName, h.StartedAt)).ToList());
    }

    private static async Task<Ok<Paged<UsageHistoryRow>>> HistoryAsync(HttpContext http, UsageHistory history, DateTimeOffset? from, DateTimeOffset? to, Guid? equipmentId, Guid? workerId, int? page, int? pageSize)
    {
        var rows = await history.CompanyAsync(http.Actor(), new UsageFilter(equipmentId, workerId, from?.ToUniversalTime(), to?.ToUniversalTime()), ApiPaging.Of(page, pageSize), cancellationToken: http.RequestAborted);
        return TypedResults.Ok(rows.Map(r => new UsageHistoryRow(r.SessionId, r.EquipmentId, r.EquipmentName, r.WorkerId, r.WorkerName, r.StartedAt, r.EndedAt, r.EndKind?.ToString().ToLowerInvariant(), r.EndReason)));
    }

    private static async Task<Ok<EndResponse>> ForceReleaseAsync(Guid sessionId, ForceReleaseRequest request, HttpContext http, UsageService usage)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = await usage.ForceReleaseAsync(http.Actor(), sessionId, request.Reason, cancellationToken: http.RequestAborted);
        return TypedResults.Ok(EndResponse.From(sessionId, status));
    }
}
