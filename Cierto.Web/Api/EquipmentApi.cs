using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

public sealed record EquipmentRequest(string? Name, string? InventoryNumber, string? Category, string? Description, Guid? Version = null, string? Location = null);

public sealed record EquipmentResponse(Guid Id, string Name, string? InventoryNumber, string? Category, string? Description, string Status, bool InUse, string? HolderName, DateTimeOffset? InUseSince, string ActivationCode, Guid Version, string? Location = null)
{
    public static EquipmentResponse From(EquipmentRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.Name, row.InventoryNumber, row.Category, row.Description, StatusName(row.Status), row.InUse, row.HolderName, row.InUseSince, row.ActivationCode, row.Version, row.Location);
    }

    public static string StatusName(EquipmentStatus status) => status switch
    {
        EquipmentStatus.OutOfService => "out_of_service",
        EquipmentStatus.Retired => "retired",
        _ => "available",
    };
}

/// <summary>What a worker sees: free items, and no activation codes.</summary>
public sealed record FreeEquipmentResponse(Guid Id, string Name, string? InventoryNumber, string? Category, string? Description);

public static class EquipmentApi
{
    public static RouteGroupBuilder MapEquipmentApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/equipment").WithTags("Equipment");

        group.MapGet("/", ListAsync).RequireAuthorization(ApiExtensions.SignedIn)
            .WithName("ListEquipment")
            .WithSummary("Company admins: every item with its code (status=free|in_use|out_of_service|retired|all, search, page, pageSize ≤ 200). Workers: free items only, never codes.")
            .Produces<Paged<EquipmentResponse>>()
            .Produces<Paged<FreeEquipmentResponse>>();

        var admin = group.MapGroup(string.Empty).RequireAuthorization(ApiExtensions.CompanyAdmin);
        admin.MapPost("/", CreateAsync).WithName("CreateEquipment").WithSummary("Add an item; the answer carries its activation code.")
            .Produces<EquipmentResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        admin.MapGet("/{id:guid}", GetAsync).WithName("GetEquipment").WithSummary("One item.").Produces<EquipmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateEquipment").WithSummary("Edit an item; send version to refuse overwriting a newer change (409).")
            .Produces<EquipmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteEquipment").WithSummary("Delete an item that was never used (409 equipment_used otherwise: retire it).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/activation-code", (Guid id, HttpContext http, EquipmentService s) => ChangeAsync(s.RegenerateActivationCodeAsync(http.Actor(), id, http.RequestAborted)))
            .WithName("RegenerateActivationCode").WithSummary("Give the item a new activation code.").Produces<EquipmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/out-of-service", (Guid id, HttpContext http, EquipmentService s) => ChangeAsync(s.MarkOutOfServiceAsync(http.Actor(), id, http.RequestAborted)))
            .WithName("MarkOutOfService").WithSummary("Workers cannot activate it until it is back in service.").Produces<EquipmentResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id:guid}/back-in-service", (Guid id, HttpContext http, EquipmentService s) => ChangeAsync(s.ReturnToServiceAsync(http.Actor(), id, http.RequestAborted)))
            .WithName("BackInService").WithSummary("Available again.").Produces<EquipmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/retire", (Guid id, HttpContext http, EquipmentService s) => ChangeAsync(s.RetireAsync(http.Actor(), id, http.RequestAborted)))
            .WithName("RetireEquipment").WithSummary("Hide from workers, keep its history.").Produces<EquipmentResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, EquipmentService equipment, string? status, string? search, int? page, int? pageSize)
    {
        var actor = http.Actor();
        var paging = ApiPaging.Of(page, pageSize);
        if (!actor.IsCompanyAdmin && !actor.IsRoot)
        {
            var free = await equipment.ListFreeAsync(actor, search, null, paging, http.RequestAborted);
            return TypedResults.Ok(free.Map(i => new FreeEquipmentResponse(i.Id, i.Name, i.InventoryNumber, i.Category, i.Description)));
        }

        var filter = status switch
        {
            null or "" => EquipmentFilter.Current,
            "free" => EquipmentFilter.Free,
            "in_use" => EquipmentFilter.InUse,
            "out_of_service" => EquipmentFilter.OutOfService,
            "retired" => EquipmentFilter.Retired,
            "all" => EquipmentFilter.All,
            _ => throw ValidationException.For("Status", Texts.Get("Status must be free, in_use, out_of_service, retired or all.")),
        };
        var rows = await equipment.ListAsync(actor, new EquipmentQuery(search, null, filter), paging, cancellationToken: http.RequestAborted);
        return TypedResults.Ok(rows.Map(EquipmentResponse.From));
    }

    private static async Task<Created<EquipmentResponse>> CreateAsync(EquipmentRequest request, HttpContext http, EquipmentService equipment)
    {
        ArgumentNullException.ThrowIfNull(request);
        var row = await equipment.CreateAsync(http.Actor(), new EquipmentInput(request.Name, request.InventoryNumber, request.Category, request.Description, request.Location), cancellationToken: http.RequestAborted);
        return TypedResults.Created($"/api/v1/equipment/{row.Id}", EquipmentResponse.From(row));
    }

    private static async Task<Ok<EquipmentResponse>> GetAsync(Guid id, HttpContext http, EquipmentService equipment) =>
        TypedResults.Ok(EquipmentResponse.From(await equipment.GetAsync(http.Actor(), id, http.RequestAborted)));

    private static async Task<Ok<EquipmentResponse>> UpdateAsync(Guid id, EquipmentRequest request, HttpContext http, EquipmentService equipment)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = http.Actor();
        var version = request.Version ?? (await equipment.GetAsync(actor, id, http.RequestAborted)).Version;
        var row = await equipment.UpdateAsync(actor, id, new EquipmentInput(request.Name, request.InventoryNumber, request.Category, request.Description, request.Location), version, http.RequestAborted);
        return TypedResults.Ok(EquipmentResponse.From(row));
    }

    private static async Task<NoContent> DeleteAsync(Guid id, HttpContext http, EquipmentService equipment)
    {
        await equipment.DeleteAsync(http.Actor(), id, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<EquipmentResponse>> ChangeAsync(Task<EquipmentRow> change) => TypedResults.Ok(EquipmentResponse.From(await change));
}
