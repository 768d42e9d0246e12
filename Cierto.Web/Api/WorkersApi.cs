using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

/// <summary>The company admin's people.</summary>
public static class WorkersApi
{
    public static RouteGroupBuilder MapWorkersApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/workers").WithTags("Workers").RequireAuthorization(ApiExtensions.CompanyAdmin);
        group.MapGet("/", ListAsync).WithName("ListWorkers").WithSummary("status=pending|active|disabled, search, page, pageSize ≤ 200.").Produces<Paged<WorkerRow>>();
        group.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, WorkerService s) => Done(s.ApproveAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("ApproveWorker", "Let a pending worker in.");
        group.MapPost("/{id:guid}/reject", (Guid id, HttpContext http, WorkerService s) => Done(s.RejectAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("RejectWorker", "Turn a join request down; the account is removed.");
        group.MapPost("/{id:guid}/disable", (Guid id, HttpContext http, WorkerService s) => Done(s.DisableAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("DisableWorker", "Sign a worker out everywhere and keep them out.");
        group.MapPost("/{id:guid}/enable", (Guid id, HttpContext http, WorkerService s) => Done(s.EnableAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("EnableWorker", "Let a disabled worker in again.");
        group.MapPost("/{id:guid}/promote", (Guid id, HttpContext http, WorkerService s) => Done(s.PromoteToAdminAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("PromoteWorker", "Make a worker a company admin.");
        group.MapPost("/{id:guid}/demote", (Guid id, HttpContext http, WorkerService s) => Done(s.DemoteAsync(http.Actor(), id, http.RequestAborted)))
            .Decision("DemoteAdmin", "Undo a promotion: the admin becomes a worker again (never the founding or the last active admin).");
        return api;
    }

    private static async Task<Ok<Paged<WorkerRow>>> ListAsync(HttpContext http, WorkerService workers, string? status, string? search, int? page, int? pageSize)
    {
        UserStatus? wanted = status switch
        {
            null or "" => null,
            "pending" => UserStatus.Pending,
            "active" => UserStatus.Active,
            "disabled" => UserStatus.Disabled,
            _ => throw ValidationException.For("Status", Texts.Get("Status must be pending, active or disabled.")),
        };
        return TypedResults.Ok(await workers.ListAsync(http.Actor(), wanted, ApiPaging.Of(page, pageSize), search, cancellationToken: http.RequestAborted));
    }

    private static async Task<NoContent> Done(Task decision)
    {
        await decision;
        return TypedResults.NoContent();
    }

    private static RouteHandlerBuilder Decision(this RouteHandlerBuilder route, string name, string summary) =>
        route.WithName(name).WithSummary(summary).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
