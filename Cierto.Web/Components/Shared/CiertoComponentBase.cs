using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Cierto.Web.Components.Shared;

/// <summary>
/// Base of the interactive pages: the acting user, domain operations each in their own scope,
/// and one way to report results (success as a status, failures as errors) and to confirm.
/// </summary>
public abstract class CiertoComponentBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected ServiceRunner Services { get; set; } = default!;

    [Inject]
    protected Notifier Notify { get; set; } = default!;

    [Inject]
    protected IDialogService Dialogs { get; set; } = default!;

    private static readonly string StampClaimType = new ClaimsIdentityOptions().SecurityStampClaimType;

    /// <summary>
    /// The acting user, re-read from the database each time: an open page (or a dialog left open)
    /// whose user was disabled, demoted or signed out elsewhere meanwhile cannot commit anything
    /// with the rights it had when it opened.
    /// </summary>
    protected async Task<Actor> ActorAsync()
    {
        var state = await (AuthenticationState ?? throw new InvalidOperationException("No authentication state."));
        var actor = state.User.RequireActor();
        var stamp = state.User.FindFirst(StampClaimType)?.Value;
        var current = await Services.RunAsync<CiertoDbContext, (string? Stamp, UserStatus Status)>(db =>
            db.Users.Where(u => u.Id == actor.UserId).Select(u => new ValueTuple<string?, UserStatus>(u.SecurityStamp, u.Status)).SingleOrDefaultAsync());
        if (current.Status != UserStatus.Active || current.Stamp != stamp)
        {
            throw new ForbiddenException("Your account has changed since this page was opened (for example, a role was removed or you were signed out elsewhere). Reload the page or sign in again.");
        }

        return actor;
    }

    /// <summary>Runs an action; a broken rule shows its message as an error and the page stays as it was.</summary>
    protected async Task<bool> TryAsync(Func<Task> action, string? success = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            if (success is not null)
            {
                Notify.Success(success);
            }

            return true;
        }
        catch (DomainException ex)
        {
            Notify.Error(ex.Message);
            return false;
        }
    }

    protected async Task<bool> ConfirmAsync(string title, string message, string yes)
    {
        var answer = await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel");
        return answer == true;
    }
}
