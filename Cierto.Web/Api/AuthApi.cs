using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Identity;
using Cierto.Web.Infrastructure.Limits;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace Cierto.Web.Api;

public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode = null, string? DeviceName = null);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ApiSessionResponse(Guid Id, string DeviceName, string? LastClientAddress, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, bool Current);

public sealed record MeResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? CompanyId, string Status);

/// <summary>Bearer tokens for the mobile app (the web UI keeps its cookie).</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var auth = api.MapGroup("/auth").WithTags("Auth");

        auth.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireLimit(LimitedAction.SignIn, c => c.Argument<LoginRequest>()?.Email)
            .WithName("Login")
            .WithSummary("Exchange email and password for an access and a refresh token.")
            .WithDescription("401 for a wrong password, an unknown address, a locked-out or a disabled account alike. Accounts with two-factor authentication also send twoFactorCode.")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/refresh", RefreshAsync)
            .AllowAnonymous()
            .RequireLimit(LimitedAction.Refresh, c => c.Argument<RefreshRequest>()?.RefreshToken)
            .WithName("Refresh")
            .WithSummary("Exchange a refresh token for new tokens; each refresh token works once.")
            .WithDescription("Presenting a refresh token that was already used ends its whole session (every token of that device): it has been copied.")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/logout", LogoutAsync)
            .RequireAuthorization(ApiExtensions.SignedIn)
            .WithName("Logout")
            .WithSummary("Ends every session of the user: access and refresh tokens stop working.")
            .Produces(StatusCodes.Status204NoContent);

        auth.MapGet("/sessions", SessionsAsync)
            .RequireAuthorization(ApiExtensions.SignedIn)
            .WithName("Sessions")
            .WithSummary("The user's signed-in devices.")
            .Produces<IReadOnlyList<ApiSessionResponse>>();

        auth.MapDelete("/sessions/{id:guid}", RevokeSessionAsync)
            .RequireAuthorization(ApiExtensions.SignedIn)
            .WithName("RevokeSession")
            .WithSummary("Sign one device out: its tokens stop working.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/me", MeAsync)
            .RequireAuthorization(ApiExtensions.SignedIn)
            .WithTags("Auth")
            .WithName("Me")
            .WithSummary("The signed-in user.")
            .Produces<MeResponse>();

        return api;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, HttpContext http, CiertoSignInManager signIn, UserManager<CiertoUser> users, ApiSessionService sessions, ApiTokens tokens, TwoFactorRules twoFactorRules)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (user, check) = await signIn.CheckPasswordByEmailAsync(request.Email, request.Password);
        if (user is null || !check.Succeeded)
        {
            return Unauthorized();
        }

        if (!user.TwoFactorEnabled && twoFactorRules.IsRequiredFor(await users.GetRolesAsync(user)))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "two_factor_setup_required", Texts.Get("Your role requires two-factor authentication. Set it up on the website (Account > Two-factor authentication), then sign in again."));
        }

        if (user.TwoFactorEnabled)
        {
            // Reached only with the right password. A wrong code is a failed attempt like a wrong
            // password: it counts towards the lockout, exactly as on the web's two-factor page.
            var code = request.TwoFactorCode?.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            if (string.IsNullOrEmpty(code))
            {
                return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "two_factor_required", Texts.Get("Enter the code from your authenticator app."));
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                await users.AccessFailedAsync(user);
                return await users.IsLockedOutAsync(user)
                    ? Unauthorized()
                    : ApiProblems.Problem(StatusCodes.Status401Unauthorized, "invalid_two_factor_code", Texts.Get("That code is not valid. Check your authenticator app and try again."));
            }

            await users.ResetAccessFailedCountAsync(user);
        }

        var session = await sessions.StartAsync(user, request.DeviceName ?? http.Request.Headers.UserAgent.ToString(), http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        return TypedResults.Ok(await tokens.IssueAsync(user, session));
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest request, HttpContext http, ApiSessionService sessions, UserManager<CiertoUser> users, ApiTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await sessions.RotateAsync(request.RefreshToken, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted) is not { } next
            || await users.FindByIdAsync(next.UserId.ToString()) is not { Status: UserStatus.Active } user)
        {
            return Unauthorized();
        }

        return TypedResults.Ok(await tokens.IssueAsync(user, next));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, UserManager<CiertoUser> users, ApiSessionService sessions, IMemoryCache cache)
    {
        if (await users.GetUserAsync(http.User) is { } user)
        {
            await sessions.RevokeAllAsync(user.Id, "logout", http.RequestAborted);
            await users.UpdateSecurityStampAsync(user);
            cache.Remove(SecurityStampFilter.CacheKey(http.User));
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ApiSessionResponse>>> SessionsAsync(HttpContext http, ApiSessionService sessions)
    {
        var current = ApiTokens.SessionOf(http.User);
        var rows = await sessions.ListAsync(http.Actor().UserId, http.RequestAborted);
        return TypedResults.Ok(rows.Select(r => new ApiSessionResponse(r.Id, r.DeviceName, r.LastClientAddress, r.CreatedAt, r.LastUsedAt, r.Id == current)).ToList());
    }

    private static async Task<NoContent> RevokeSessionAsync(Guid id, HttpContext http, ApiSessionService sessions, IMemoryCache cache)
    {
        await sessions.RevokeAsync(http.Actor().UserId, id, http.RequestAborted);
        cache.Remove(SecurityStampFilter.CacheKey(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> MeAsync(HttpContext http, UserManager<CiertoUser> users)
    {
        if (await users.GetUserAsync(http.User) is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email!, user.DisplayName, [.. roles.Order()], user.CompanyId, user.Status.ToString().ToLowerInvariant()));
    }

    private static IResult Unauthorized() =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "invalid_credentials", Texts.Get("The email or password is not correct, or the account cannot sign in."));

    /// <summary>
    /// Checks a bearer token's security stamp and session on every request: a disabled or
    /// logged-out user, or a signed-out device, is refused within <see cref="StampCheckWindow"/>.
    /// </summary>
    internal sealed class SecurityStampFilter : IEndpointFilter
    {
        public static readonly TimeSpan StampCheckWindow = TimeSpan.FromSeconds(5);

        public static string CacheKey(ClaimsPrincipal user) =>
            $"api-stamp:{user.FindFirstValue(ClaimTypes.NameIdentifier)}:{user.FindFirstValue(StampClaimType)}:{ApiTokens.SessionOf(user)}";

        private static readonly string StampClaimType = new ClaimsIdentityOptions().SecurityStampClaimType;

        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(next);
            var http = context.HttpContext;
            if (http.User.Identity?.IsAuthenticated == true)
            {
                // A checked (user, stamp) pair is trusted for a few seconds, so a busy client costs
                // one lookup per window, and a disabled or logged-out user is refused within it.
                var key = CacheKey(http.User);
                var cache = http.RequestServices.GetRequiredService<IMemoryCache>();
                if (!cache.TryGetValue(key, out _))
                {
                    var signIn = http.RequestServices.GetRequiredService<SignInManager<CiertoUser>>();
                    if (await signIn.ValidateSecurityStampAsync(http.User) is not { Status: UserStatus.Active }
                        || (ApiTokens.SessionOf(http.User) is { } session && !await http.RequestServices.GetRequiredService<ApiSessionService>().IsActiveAsync(session, http.RequestAborted)))
                    {
                        return Unauthorized();
                    }

                    cache.Set(key, true, StampCheckWindow);
                }
            }

            return await next(context);
        }
    }
}
