using System.Globalization;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Cierto.Web.Api;

/// <summary>
/// Domain exceptions become RFC 9457 problem details with a stable <c>code</c> extension, so the
/// mobile app reacts to codes, not to message texts. A foreign id is a 404 like a missing one.
/// </summary>
internal static class ApiProblems
{
    public static IResult For(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is DatabaseUnavailableException)
        {
            return Unavailable();
        }

        if (exception is ValidationException validation)
        {
            return TypedResults.ValidationProblem(
                validation.Errors.ToDictionary(e => ToCamelCase(e.Key), e => e.Value),
                detail: Texts.Get("Some fields are not valid."),
                title: Title(StatusCodes.Status400BadRequest),
                extensions: new Dictionary<string, object?> { ["code"] = "validation" });
        }

        var status = exception switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            ForbiddenException => StatusCodes.Status403Forbidden,
            _ => exception.Code switch
            {
                "equipment_in_use" or "equipment_used" or "concurrency" or "already_admin" or "not_admin" or "invalid_status" or "session_ended"
                    or "email_not_confirmed" or "last_admin" or "founding_admin" or "cannot_disable_self" or "code_used"
                    or "booking_overlaps" or "booking_ended" or "equipment_unavailable" => StatusCodes.Status409Conflict,
                "booking_too_long" or "booking_in_past" or "booking_too_far" => StatusCodes.Status400BadRequest,
                "bookings_disabled" => StatusCodes.Status403Forbidden,
                "orders_paused" or "card_provider_failed" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status422UnprocessableEntity,
            },
        };
        return Problem(status, exception.Code, exception.Message);
    }

    public static IResult Problem(int status, string code, string detail, IReadOnlyDictionary<string, object?>? more = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Title(status),
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        foreach (var (key, value) in more ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>503 <c>service_unavailable</c> with Retry-After: the database (or Redis) cannot be reached; nothing was changed.</summary>
    public static IResult Unavailable() => new WithRetryAfter(
        DatabaseUnavailableException.RetryAfter,
        Problem(StatusCodes.Status503ServiceUnavailable, DatabaseUnavailableException.ErrorCode, DatabaseUnavailableException.UserMessage));

    /// <summary>The status's name in the reader's language (the <c>code</c> extension is what clients act on).</summary>
    private static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Texts.Get("Bad request"),
        StatusCodes.Status401Unauthorized => Texts.Get("Not signed in"),
        StatusCodes.Status403Forbidden => Texts.Get("Not allowed"),
        StatusCodes.Status404NotFound => Texts.Get("Not found"),
        StatusCodes.Status405MethodNotAllowed => Texts.Get("Method not allowed"),
        StatusCodes.Status409Conflict => Texts.Get("Conflict"),
        StatusCodes.Status413PayloadTooLarge => Texts.Get("Request too large"),
        StatusCodes.Status415UnsupportedMediaType => Texts.Get("Unsupported media type"),
        StatusCodes.Status422UnprocessableEntity => Texts.Get("Cannot be done"),
        StatusCodes.Status429TooManyRequests => Texts.Get("Too many requests"),
        StatusCodes.Status503ServiceUnavailable => Texts.Get("Service unavailable"),
        _ => Texts.Get("Server error"),
    };

    private static string ToCamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
