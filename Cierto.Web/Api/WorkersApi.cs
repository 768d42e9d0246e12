using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Limits;
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
        foreach (var (action, name, summary) in new (string, string, string)[]
        {
            ("approve", "ApproveWorker", "Let a pending worker in."),
            ("reject", "RejectWorker", "Turn a join request down; the account is removed."),
            ("disable", "DisableWorker", "Sign a worker out everywhere and keep them out."),
            ("enable", "EnableWorker", "Let a disabled worker in again."),
            ("promote", "PromoteWorker", "Make a worker a company admin."),
            ("demote", "DemoteAdmin", "Undo a promotion: the admin becomes a worker again (never the founding or the last active admin)."),
        })
        {
            group.MapPost($"/{{id:guid}}/{action}", (Guid id, HttpContext http, WorkerService s) => ActAsync(action, id, http, s))
                .WithName(name).WithSummary(summary).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }

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

    private static async Task<NoContent> ActAsync(string action, Guid id, HttpContext http, WorkerService workers)
    {
        var actor = http.Actor();
        await (action switch
        {
            "approve" => workers.ApproveAsync(actor, id, http.RequestAborted),
            "reject" => workers.RejectAsync(actor, id, http.RequestAborted),
            "disable" => workers.DisableAsync(actor, id, http.RequestAborted),
            "promote" => workers.PromoteToAdminAsync(actor, id, http.RequestAborted),
            "demote" => workers.DemoteAsync(actor, id, http.RequestAborted),
            _ => workers.EnableAsync(actor, id, http.RequestAborted),
        });
        return TypedResults.NoContent();
    }
}
