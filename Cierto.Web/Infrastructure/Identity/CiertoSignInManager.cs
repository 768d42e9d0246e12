using System.Security.Claims;
using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>
/// Sign-in rules of Cierto. Pending and disabled users, and members of a suspended company, cannot sign in; that is checked only after
/// the password, so the answer to a wrong password is the same whether or not the account exists or
/// is active. Every failure costs one password hash: an unknown address, a locked account and an
/// account without a password are checked against a dummy hash, so timing does not tell them apart.
/// Every cookie sign-in starts a server-side <see cref="SignInSession"/> whose id rides in the cookie;
/// signing out ends it, and a refresh of the cookie (a changed name, role or language) keeps it.
/// </summary>
internal sealed class CiertoSignInManager(
    UserManager<CiertoUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<CiertoUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<CiertoUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CiertoUser> confirmation,
    CiertoDbContext db,
    SignInSessionService signIns)
    : SignInManager<CiertoUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly string DummyHash = new PasswordHasher<CiertoUser>().HashPassword(new CiertoUser(), Guid.NewGuid().ToString());

    /// <summary>The account of this address and the password check's result; the user is null for an unknown address.</summary>
    public async Task<(CiertoUser? User, SignInResult Result)> CheckPasswordByEmailAsync(string? email, string? password)
    {
        var address = email?.Trim();
        var user = address is { Length: > 0 and <= 256 } ? await UserManager.FindByEmailAsync(address) : null;
        if (user is null)
        {
            HashAnyway(password);
            return (null, SignInResult.Failed);
        }

        return (user, await CheckPasswordSignInAsync(user, password ?? string.Empty, lockoutOnFailure: true));
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            HashAnyway(password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(CiertoUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await UserManager.IsLockedOutAsync(user))
        {
            // Identity answers a locked account before hashing; hash anyway, then say "locked".
            HashAnyway(password, user.PasswordHash);
            return SignInResult.LockedOut;
        }

        if (user.PasswordHash is null)
        {
            HashAnyway(password);
        }

        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        return result.Succeeded && (user.Status != UserStatus.Active || await IsCompanySuspendedAsync(user)) ? SignInResult.NotAllowed : result;
    }

    private bool refreshing;

    public override async Task RefreshSignInAsync(CiertoUser user)
    {
        refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            refreshing = false;
        }
    }

    /// <summary>Every sign-in to the cookie passes here (password, two-factor, recovery code, registration, refresh).</summary>
    public override async Task SignInWithClaimsAsync(CiertoUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(user);
        var current = Context.User.SignInSessionOf();
        var session = refreshing && current is { } kept && Context.User.ToActor()?.UserId == user.Id
            ? kept
            : (await signIns.StartAsync(user.Id, Context.Request.Headers.UserAgent.ToString(), Context.Connection.RemoteIpAddress?.ToString(), replacing: current, Context.RequestAborted)).Id;
        await base.SignInWithClaimsAsync(
            user,
            authenticationProperties,
            [.. additionalClaims.Where(c => c.Type != CiertoClaims.SignInSession), new Claim(CiertoClaims.SignInSession, session.ToString())]);
    }

    /// <summary>Ends this browser's session on the server first, so a copy of the cookie is worth nothing either.</summary>
    public override async Task SignOutAsync()
    {
        if (Context.User.ToActor() is { } actor && Context.User.SignInSessionOf() is { } session)
        {
            await signIns.RevokeAsync(actor.UserId, session, "signed-out", Context.RequestAborted);
        }

        await base.SignOutAsync();
    }

    public Task<bool> IsCompanySuspendedAsync(CiertoUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Company.IsSuspendedAsync(db.Companies, user.CompanyId);
    }

    /// <summary>
    /// Identity lets recovery codes be guessed without limit (it counts them as random enough) and
    /// even past a lockout; here a wrong one counts towards the lockout like a wrong password or
    /// authenticator code, and a locked account takes none.
    /// </summary>
    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInResult.Failed;
        }

        if (await UserManager.IsLockedOutAsync(user))
        {
            return SignInResult.LockedOut;
        }

        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (result.Succeeded)
        {
            await UserManager.ResetAccessFailedCountAsync(user);
            return result;
        }

        await UserManager.AccessFailedAsync(user);
        return await UserManager.IsLockedOutAsync(user) ? SignInResult.LockedOut : result;
    }

    private void HashAnyway(string? password, string? hash = null) =>
        UserManager.PasswordHasher.VerifyHashedPassword(new CiertoUser(), hash ?? DummyHash, password ?? string.Empty);
}
