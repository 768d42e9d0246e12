using Cierto.Domain.Common;

namespace Cierto.Web.Api;

/// <summary>Runs every API handler with the mapping above, so handlers only express the success path.</summary>
internal sealed class DomainExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (DomainException ex)
        {
            return ApiProblems.For(ex);
        }
    }
}
