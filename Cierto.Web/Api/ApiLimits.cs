using System.Globalization;
using System.Security.Claims;
using Cierto.Web.Infrastructure.Limits;

namespace Cierto.Web.Api;

/// <summary>The shared request limits (<see cref="RequestLimits"/>) on API routes: 429 with Retry-After when spent.</summary>
internal static class ApiLimits
{
    /// <summary>Limits the route per client address, then per the account <paramref name="account"/> names (from the bound arguments).</summary>
    public static RouteHandlerBuilder RequireLimit(this RouteHandlerBuilder route, LimitedAction action, Func<EndpointFilterInvocationContext, string?>? account = null) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limits = http.RequestServices.GetRequiredService<RequestLimits>();
            var named = account?.Invoke(context) ?? http.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (await limits.TryAsync(action, http.Connection.RemoteIpAddress, named) is { } wait)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "throttled", RequestLimits.Message(wait));
            }

            return await next(context);
        });

    /// <summary>The first bound argument of type <typeparamref name="T"/>, for naming the account.</summary>
    public static T? Argument<T>(this EndpointFilterInvocationContext context)
        where T : class => context.Arguments.OfType<T>().FirstOrDefault();
}
