using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Limits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cierto.Web.Api;

public sealed record InviteCodeResponse(Guid Id, string Code, string CompanyIdentificationNumber, DateTimeOffset ExpiresAt);

public sealed record RegisterCompanyApiRequest(string? InviteCode, string? CompanyName, string? CompanyIdentificationNumber, string? AdminEmail, string? AdminPassword, string? AdminDisplayName, string? TimeZone = null);

public sealed record RegisteredCompanyResponse(Guid CompanyId, string JoinCode);

public sealed record JoinApiRequest(string? JoinCode, string? Email, string? Password, string? DisplayName);

public sealed record JoinResponse(string Status);

/// <summary>Invite codes and companies (Support, Root), and the two ways in for everyone else.</summary>
public static class CompaniesApi
{
    public static RouteGroupBuilder MapCompaniesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var invites = api.MapGroup("/invite-codes").WithTags("Invite codes").RequireAuthorization(ApiExtensions.Staff);
        invites.MapPost("/", IssueAsync).WithName("IssueInviteCode").WithSummary("Issue a one-time code for a company identification number; the code is only in this answer.")
            .Produces<InviteCodeResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        invites.MapGet("/", (HttpContext http, InviteCodeService s, string? search, int? page, int? pageSize) => s.ListAsync(http.Actor(), ApiPaging.Of(page, pageSize), search, http.RequestAborted))
            .WithName("ListInviteCodes").WithSummary("Issued codes, newest first (no codes, only their state).").Produces<Paged<InviteCodeRow>>();
        invites.MapDelete("/{id:guid}", async (Guid id, HttpContext http, InviteCodeService s) =>
        {
            await s.RevokeAsync(http.Actor(), id, http.RequestAborted);
            return TypedResults.NoContent();
        }).WithName("RevokeInviteCode").WithSummary("Revoke an unused code.").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var companies = api.MapGroup("/companies").WithTags("Companies");
        companies.MapGet("/", (HttpContext http, CompanyService s, string? search, int? page, int? pageSize) => s.ListAsync(http.Actor(), ApiPaging.Of(page, pageSize), search, http.RequestAborted))
            .RequireAuthorization(ApiExtensions.Staff).WithName("ListCompanies").WithSummary("Every company (Root, Support).").Produces<Paged<CompanyRow>>();
        companies.MapGet("/{id:guid}", (Guid id, HttpContext http, CompanyService s) => s.GetAsync(http.Actor(), id, http.RequestAborted))
            .RequireAuthorization(ApiExtensions.SignedIn).WithName("GetCompany").WithSummary("A company: any for Root and Support, their own for members.")
            .Produces<CompanyDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPost("/{id:guid}/suspend", async (Guid id, HttpContext http, CompanyService s) =>
        {
            await s.SuspendAsync(http.Actor(), id, http.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ApiExtensions.Staff).WithName("SuspendCompany")
            .WithSummary("Root: the company's people cannot sign in (their sessions end) and its join code stops working, until it is reactivated.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPost("/{id:guid}/reactivate", async (Guid id, HttpContext http, CompanyService s) =>
        {
            await s.ReactivateAsync(http.Actor(), id, http.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ApiExtensions.Staff).WithName("ReactivateCompany").WithSummary("Root: a suspended company's people can sign in again.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPost("/register", RegisterAsync).AllowAnonymous().RequireLimit(LimitedAction.RegisterCompany, c => c.Argument<RegisterCompanyApiRequest>()?.AdminEmail)
            .WithName("RegisterCompany").WithSummary("Register a company with an invite code; its admin account is created with it.")
            .Produces<RegisteredCompanyResponse>(StatusCodes.Status201Created).ProducesValidationProblem();

        api.MapPost("/workers/join", JoinAsync).AllowAnonymous().RequireLimit(LimitedAction.Join, c => c.Argument<JoinApiRequest>()?.Email).WithTags("Workers")
            .WithName("JoinCompany").WithSummary("Ask to join a company with its join code. The same answer whether or not the email already has an account; the confirmation comes by mail.")
            .Produces<JoinResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        return api;
    }

    private static async Task<Created<InviteCodeResponse>> IssueAsync(IssueInviteCodeRequest request, HttpContext http, InviteCodeService invites)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issued = await invites.IssueAsync(http.Actor(), request, http.RequestAborted);
        return TypedResults.Created($"/api/v1/invite-codes/{issued.Id}", new InviteCodeResponse(issued.Id, issued.Code, issued.CompanyIdentificationNumber, issued.ExpiresAt));
    }

    private static async Task<Created<RegisteredCompanyResponse>> RegisterAsync(RegisterCompanyApiRequest request, CompanyRegistrationService registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = await registration.RegisterAsync(new RegisterCompanyRequest(request.InviteCode, request.CompanyName, request.CompanyIdentificationNumber, request.AdminEmail, request.AdminPassword, request.AdminDisplayName, request.TimeZone), cancellationToken);
        return TypedResults.Created($"/api/v1/companies/{registered.CompanyId}", new RegisteredCompanyResponse(registered.CompanyId, registered.JoinCode));
    }

    private static async Task<Accepted<JoinResponse>> JoinAsync(JoinApiRequest request, WorkerService workers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await workers.RequestJoinAsync(new JoinRequest(request.JoinCode, request.Email, request.Password, request.DisplayName), cancellationToken);
        return TypedResults.Accepted((string?)null, new JoinResponse("requested"));
    }
}
