using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Scalar.AspNetCore;

namespace Cierto.Web.Api;

/// <summary>REST API v1 for the mobile app: bearer tokens, the same domain services and rules as the UI.</summary>
public static class ApiExtensions
{
    public const string SignedIn = "Api.SignedIn";
    public const string Worker = "Api.Worker";
    public const string CompanyAdmin = "Api.CompanyAdmin";
    public const string Staff = "Api.Staff";

    /// <summary>No API request needs more; a larger body is refused before it is read.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddCiertoApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMemoryCache();
        services.AddScoped<ApiTokens>();
        services.AddOpenApi("v1");
        return services;
    }

    public static IEndpointRouteBuilder MapCiertoApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .AddEndpointFilter<DomainExceptionFilter>()
            .AddEndpointFilterFactory(TextInputFilter.Create)
            .AddEndpointFilter<AuthApi.SecurityStampFilter>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable); // the database cannot be reached: try again after Retry-After
        api.MapAuthApi();
        api.MapActivationsApi();
        api.MapEquipmentApi();
        api.MapUsageApi();
        api.MapBookingsApi();
        api.MapCompaniesApi();
        api.MapWorkersApi();
        api.MapBillingApi();
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        if (endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            // Interactive reference of the API at /scalar/v1, in Development only.
            endpoints.MapScalarApiReference();
        }

        return endpoints;
    }

    /// <summary>
    /// Caps API request bodies before anything reads them (the server's default allows 30 MB):
    /// a declared larger body is answered 413 at once, a streamed one stops at the limit.
    /// </summary>
    public static IApplicationBuilder UseApiBodyLimit(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), api => api.UseMiddleware<ApiFailures>().UseStatusCodePages(AnswerEmptyErrorsWithProblems).Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxBodyBytes)
            {
                await ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", Texts.Format("Request bodies are limited to {0} KB.", MaxBodyBytes / 1024)).ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBodyBytes;
            }

            await next(context);
        }));

    /// <summary>
    /// Errors the framework answers without a body (a body that is not valid JSON, an unknown
    /// route) still reach the mobile app as problem details with a code.
    /// </summary>
    private static Task AnswerEmptyErrorsWithProblems(StatusCodeContext context)
    {
        var (code, detail) = context.HttpContext.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("unauthorized", Texts.Get("Sign in first.")),
            StatusCodes.Status403Forbidden => ("forbidden", Texts.Get("You are not allowed to do that.")),
            StatusCodes.Status400BadRequest => ("bad_request", Texts.Get("The request could not be read: check that the body is valid JSON with the documented fields and the parameters have the documented types.")),
            StatusCodes.Status404NotFound => ("not_found", Texts.Get("There is no such route or resource.")),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", Texts.Get("This route does not accept this method.")),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", Texts.Get("Send the body as application/json.")),
            _ => (null, null),
        };
        return code is null ? Task.CompletedTask : ApiProblems.Problem(context.HttpContext.Response.StatusCode, code, detail!).ExecuteAsync(context.HttpContext);
    }
}
