using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

/// <summary>Times carry their offset (ISO 8601); a time without one is read as UTC.</summary>
public sealed record BookingRequest(Guid? EquipmentId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Note, Guid? WorkerId = null);

public sealed record BookingCreated(Guid Id);

/// <summary><c>state</c>: upcoming, current, checked_out, ended, overdue. <c>workerName</c> is null on another worker's booking read by a worker.</summary>
public sealed record BookingResponse(Guid Id, Guid EquipmentId, string EquipmentName, string? InventoryNumber, Guid WorkerId, string? WorkerName, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Note, string State, bool Mine)
{
    public static BookingResponse From(BookingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.EquipmentId, row.EquipmentName, row.InventoryNumber, row.WorkerId, row.WorkerName, row.StartsAt, row.EndsAt, row.Note, StateName(row.State), row.Mine);
    }

    public static string StateName(BookingState state) => state switch
    {
        BookingState.Current => "current",
        BookingState.CheckedOut => "checked_out",
        BookingState.Ended => "ended",
        BookingState.Overdue => "overdue",
        _ => "upcoming",
    };
}

public sealed record BookedRangeResponse(Guid BookingId, DateTimeOffset From, DateTimeOffset To, string? WorkerName, bool Mine);

public sealed record FreeRangeResponse(DateTimeOffset From, DateTimeOffset To);

public sealed record AvailabilityResponse(Guid EquipmentId, string EquipmentName, DateTimeOffset From, DateTimeOffset To, bool InUseNow, IReadOnlyList<BookedRangeResponse> Booked, IReadOnlyList<FreeRangeResponse> Free);

/// <summary>Bookings: workers book for themselves, admins for anyone of the company.</summary>
public static class BookingsApi
{
    public static RouteGroupBuilder MapBookingsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/bookings").WithTags("Bookings").RequireAuthorization(ApiExtensions.SignedIn);
        group.MapGet("/", ListAsync).WithName("ListBookings")
            .WithSummary("Workers: their own bookings. Admins: the company's, filtered by equipmentId, workerId and from/to (bookings overlapping the range). Oldest start first; page, pageSize ≤ 200.")
            .Produces<Paged<BookingResponse>>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync).WithName("GetBooking").WithSummary("One booking (a worker's own; any of the company for an admin).")
            .Produces<BookingResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateBooking")
            .WithSummary("Book an item for [startsAt, endsAt). Admins book for someone with workerId.")
            .WithDescription("201 with the id. 409 booking_overlaps (someone has that time), 400 booking_too_long / booking_in_past / booking_too_far / validation, 403 bookings_disabled (the company books through its admins), 404 for an item or worker of another company.")
            .Produces<BookingCreated>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateBooking")
            .WithSummary("Move, lengthen or re-note a booking that has not ended (the item stays the same). Errors as for creating; 409 booking_ended.")
            .Produces<BookingResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", CancelAsync).WithName("CancelBooking").WithSummary("Cancel a booking that has not ended (409 booking_ended otherwise).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/equipment/{id:guid}/availability", AvailabilityAsync).WithTags("Bookings", "Equipment").RequireAuthorization(ApiExtensions.SignedIn)
            .WithName("EquipmentAvailability")
            .WithSummary("An item's bookings and free stretches between from and to (at most 31 days; default the next 7 days), and whether it is in use now.")
            .Produces<AvailabilityResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<Paged<BookingResponse>>> ListAsync(HttpContext http, BookingService bookings, Guid? equipmentId, Guid? workerId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize)
    {
        var rows = await bookings.ListAsync(http.Actor(), new BookingFilter(equipmentId, workerId, from, to), ApiPaging.Of(page, pageSize), cancellationToken: http.RequestAborted);
        return TypedResults.Ok(rows.Map(BookingResponse.From));
    }

    private static async Task<Ok<BookingResponse>> GetAsync(Guid id, HttpContext http, BookingService bookings) =>
        TypedResults.Ok(BookingResponse.From(await bookings.GetAsync(http.Actor(), id, cancellationToken: http.RequestAborted)));

    private static async Task<Created<BookingCreated>> CreateAsync(BookingRequest request, HttpContext http, BookingService bookings)
    {
        var id = await bookings.CreateAsync(http.Actor(), Input(request), cancellationToken: http.RequestAborted);
        return TypedResults.Created($"/api/v1/bookings/{id}", new BookingCreated(id));
    }

    private static async Task<Ok<BookingResponse>> UpdateAsync(Guid id, BookingRequest request, HttpContext http, BookingService bookings)
    {
        var actor = http.Actor();
        await bookings.UpdateAsync(actor, id, Input(request), cancellationToken: http.RequestAborted);
        return TypedResults.Ok(BookingResponse.From(await bookings.GetAsync(actor, id, cancellationToken: http.RequestAborted)));
    }

    private static async Task<NoContent> CancelAsync(Guid id, HttpContext http, BookingService bookings)
    {
        await bookings.CancelAsync(http.Actor(), id, cancellationToken: http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AvailabilityResponse>> AvailabilityAsync(Guid id, HttpContext http, BookingService bookings, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to)
    {
        var start = from ?? time.GetUtcNow();
        var a = await bookings.AvailabilityAsync(http.Actor(), id, start, to ?? start.AddDays(7), cancellationToken: http.RequestAborted);
        return TypedResults.Ok(new AvailabilityResponse(
            a.EquipmentId,
            a.EquipmentName,
            a.From,
            a.To,
            a.InUseNow,
            a.Booked.Select(b => new BookedRangeResponse(b.BookingId, b.From, b.To, b.WorkerName, b.Mine)).ToList(),
            a.Free.Select(f => new FreeRangeResponse(f.From, f.To)).ToList()));
    }

    /// <summary>Each missing field named, as every other endpoint does.</summary>
    private static BookingInput Input(BookingRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.EquipmentId is null)
        {
            errors["EquipmentId"] = [Texts.Get("Choose the item to book.")];
        }

        if (request?.StartsAt is null)
        {
            errors["StartsAt"] = [Texts.Get("Give the start of the booking.")];
        }

        if (request?.EndsAt is null)
        {
            errors["EndsAt"] = [Texts.Get("Give the end of the booking.")];
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        return new BookingInput(request!.EquipmentId!.Value, request.StartsAt!.Value, request.EndsAt!.Value, request.Note, request.WorkerId);
    }
}
