using System.Globalization;

namespace Cierto.Web.Api;

/// <summary>A result with a Retry-After header (whole seconds).</summary>
internal sealed class WithRetryAfter(TimeSpan wait, IResult inner) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
