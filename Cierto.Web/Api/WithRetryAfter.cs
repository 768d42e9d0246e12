using System.Globalization;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Mvc;

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
