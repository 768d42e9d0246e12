using Cierto.Domain.Common;
using Cierto.Domain.Usage;
using Cierto.Web.Infrastructure.Limits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

public sealed record ActivationRequest(string? ActivationCode);

public sealed record ActivationResponse(Guid SessionId, Guid EquipmentId, string EquipmentName, DateTimeOffset StartedAt);

public sealed record MyActivation(Guid SessionId, Guid EquipmentId, string EquipmentName, string? InventoryNumber, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

/// <summary>A worker starts and ends the use of an item.</summary>
public static class ActivationsApi
{
    public static RouteGroupBuilder MapActivationsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/activations").WithTags("Activations").RequireAuthorization(ApiExtensions.Worker);

        group.MapPost("/", ActivateAsync)
            .RequireLimit(LimitedAction.Activation)
            .WithName("Activate")
            .WithSummary("Start using the item with this activation code.")
            .WithDescription("201 with the new session; 200 with the same session when the worker already holds the item (a repeated request, e.g. a retry after a lost answer, never starts a second session). "
                + "409 equipment_in_use or equipment_unavailable, 409 equipment_booked (someone else's booking runs now; freeAt says when the item is free again), 422 invalid_activation_code or activation_limit, 429 throttled with Retry-After, 503 service_unavailable with Retry-After (nothing was changed).")
            .Produces<ActivationResponse>(StatusCodes.Status201Created)
            .Produces<ActivationResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/{sessionId:guid}/end", EndAsync)
            .WithName("EndActivation")
            .WithSummary("Stop using the item (the holder only).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/mine", MineAsync)
            .WithName("MyActivations")
            .WithSummary("The worker's own usage, optionally only active (active=true) or ended (active=false).")
            .Produces<Paged<MyActivation>>();

        return api;
    }

    private static async Task<IResult> ActivateAsync(ActivationRequest request, HttpContext http, UsageService usage)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await usage.ActivateAsync(http.Actor(), request.ActivationCode, http.RequestAborted);
        switch (result.Status)
        {
            case ActivationStatus.Activated:
                var session = new ActivationResponse(result.SessionId!.Value, result.EquipmentId!.Value, result.EquipmentName!, result.StartedAt!.Value);
                return result.AlreadyHeld ? TypedResults.Ok(session) : TypedResults.Created($"/api/v1/activations/mine?active=true", session);
            case ActivationStatus.InUse:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "equipment_in_use", result.Message);
            case ActivationStatus.Booked:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "equipment_booked", result.Message, new Dictionary<string, object?> { ["freeAt"] = result.FreeAt });
            case ActivationStatus.Unavailable:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "equipment_unavailable", result.Message);
            case ActivationStatus.LimitReached:
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "activation_limit", result.Message);
            case ActivationStatus.Throttled:
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "throttled", result.Message);
            default:
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "invalid_activation_code", result.Message);
        }
    }

    private static async Task<Results<Ok<EndResponse>, ProblemHttpResult>> EndAsync(Guid sessionId, HttpContext http, UsageService usage)
    {
        var status = await usage.DeactivateAsync(http.Actor(), sessionId, http.RequestAborted);
        return TypedResults.Ok(EndResponse.From(sessionId, status));
    }

    private static async Task<Ok<Paged<MyActivation>>> MineAsync(HttpContext http, UsageHistory history, bool? active, int? page, int? pageSize)
    {
        var rows = await history.MineAsync(http.Actor(), new UsageFilter(Active: active), new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted);
        return TypedResults.Ok(rows.Map(r => new MyActivation(r.SessionId, r.EquipmentId, r.EquipmentName, r.InventoryNumber, r.StartedAt, r.EndedAt)));
    }
}

public sealed record EndResponse(Guid SessionId, string Status)
{
    public static EndResponse From(Guid sessionId, ReleaseStatus status) => new(sessionId, status == ReleaseStatus.Released ? "released" : "already_ended");
}
