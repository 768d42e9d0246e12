using System.Security.Claims;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace Cierto.Web.Infrastructure.Identity;

internal sealed class TwoFactorSetUpHandler(TwoFactorRules rules) : AuthorizationHandler<TwoFactorSetUpRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorSetUpRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!rules.MustSetUp(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
