using Cierto.Domain.Data;
using Cierto.Domain.Localization;

namespace Cierto.Web.Api;

/// <summary>
/// The API never answers with an HTML error page: an outage of the database (or of Redis where
/// nothing can stand in for it) is 503 <c>service_unavailable</c> with Retry-After, anything else
/// that escaped a handler is 500 <c>internal_error</c> problem details, logged with its trace id.
/// </summary>
internal sealed partial class ApiFailures(RequestDelegate next, ILogger<ApiFailures> logger, DatabaseOutages outages)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && DatabaseFailures.IsTransient(ex))
        {
            outages.Report(ex, "api", $"{context.Request.Method} {context.Request.Path}");
            context.Response.Clear();
            await ApiProblems.Unavailable().ExecuteAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && ex is not BadHttpRequestException)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path, context.TraceIdentifier);
            context.Response.Clear();
            await ApiProblems.Problem(StatusCodes.Status500InternalServerError, "internal_error", Texts.Format("Something went wrong on our side. Quote {0} if you report it.", context.TraceIdentifier)).ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API {Method} {Path} failed (trace {TraceId}).")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);
}
