using Cierto.Web.Infrastructure.Identity;

namespace Cierto.Web.Api;

internal static class HttpContextActorExtensions
{
    /// <summary>The signed-in caller as the domain services take it (the endpoint's policy has already required a sign-in).</summary>
    public static Domain.Accounts.Actor Actor(this HttpContext http) => http.User.RequireActor();
}
