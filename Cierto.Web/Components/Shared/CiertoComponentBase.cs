using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
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

    /// <summary>The reader's clock (their company's time zone), cascaded by the layout.</summary>
    [CascadingParameter]
    protected ReadingClock Clock { get; set; } = ReadingClock.Utc;

    [Inject]
    protected Notifier Notify { get; set; } = default!;

    [Inject]
    protected IDialogService Dialogs { get; set; } = default!;

    [Inject]
    protected ActingUser Acting { get; set; } = default!;

    /// <summary>The signed-in user, for reading.</summary>
    protected async Task<Actor> ActorAsync()
    {
        var state = await (AuthenticationState ?? throw new InvalidOperationException("No authentication state."));
        return state.User.RequireActor();
    }

    /// <summary>The signed-in user re-read from the database (see <see cref="ActingUser"/>): for anything that commits.</summary>
    protected Task<Actor> ReconfirmedActorAsync() => Acting.ReconfirmedAsync();

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

    /// <summary>
    /// Re-reads the acting user (see <see cref="ReconfirmedActorAsync"/>), then runs the action as
    /// <see cref="TryAsync"/> does: an account that changed meanwhile, or a database that cannot be
    /// reached while checking, is a message like any broken rule, never a failed page.
    /// </summary>
    protected Task<bool> TryAsActorAsync(Func<Actor, Task> action, string? success = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return TryAsync(async () => await action(await ReconfirmedActorAsync()), success);
    }

    protected async Task<bool> ConfirmAsync(string title, string message, string yes)
    {
        var answer = await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: Cierto.Domain.Localization.Texts.Get("Cancel"));
        return answer == true;
    }
}
