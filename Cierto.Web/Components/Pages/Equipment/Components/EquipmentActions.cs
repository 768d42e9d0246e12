using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Localization;
using Cierto.Domain.Usage;
using Cierto.Web.Components.Shared;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using MudBlazor;

namespace Cierto.Web.Components.Pages.Equipment.Components;

/// <summary>
/// Equipment commands shared by the list, the item page and the dashboard: confirm, run, report.
/// The acting user is re-read when the change commits (<see cref="ActingUser"/>), not when the
/// dialog opened.
/// </summary>
public sealed class EquipmentActions(ServiceRunner services, IDialogService dialogs, Notifier notify, ActingUser acting)
{
    /// <summary>What an admin can do with an item in <paramref name="status"/>, in the order pages offer it.</summary>
    public static IReadOnlyList<EquipmentAction> AvailableFor(EquipmentStatus status) => status switch
    {
        EquipmentStatus.Available => [EquipmentAction.OutOfService, EquipmentAction.RegenerateCode, EquipmentAction.Retire, EquipmentAction.Delete],
        EquipmentStatus.OutOfService => [EquipmentAction.BackInService, EquipmentAction.RegenerateCode, EquipmentAction.Retire, EquipmentAction.Delete],
        _ => [EquipmentAction.RegenerateCode, EquipmentAction.Delete],
    };

    public static string Label(EquipmentAction action) => action switch
    {
        EquipmentAction.OutOfService => Texts.Get("Mark out of service"),
        EquipmentAction.BackInService => Texts.Get("Back in service"),
        EquipmentAction.RegenerateCode => Texts.Get("New activation code"),
        EquipmentAction.Retire => Texts.Get("Retire"),
        EquipmentAction.Delete => Texts.Get("Delete"),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>Retiring and deleting cannot be undone; pages show them in the error colour.</summary>
    public static bool IsDestructive(EquipmentAction action) => action is EquipmentAction.Retire or EquipmentAction.Delete;

    public async Task<EquipmentRow?> EditAsync(EquipmentRow? item, Guid? companyId = null)
    {
        var parameters = new DialogParameters<EditEquipmentDialog>
        {
            { d => d.Item, item },
            { d => d.CompanyId, companyId },
        };
        var dialog = await dialogs.ShowAsync<EditEquipmentDialog>(item is null ? Texts.Get("Add an item") : Texts.Get("Edit item"), parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: EquipmentRow saved })
        {
            notify.Success(item is null ? Texts.Format("{0} was added. Its activation code is {1}.", saved.Name, Codes.Format(saved.ActivationCode)) : Texts.Format("{0} was saved.", saved.Name));
            return saved;
        }

        return null;
    }

    public async Task<bool> ForceReleaseAsync(Guid sessionId, string equipmentName, string? holderName)
    {
        var parameters = new DialogParameters<ForceReleaseDialog>
        {
            { d => d.SessionId, sessionId },
            { d => d.EquipmentName, equipmentName },
            { d => d.HolderName, holderName },
        };
        var dialog = await dialogs.ShowAsync<ForceReleaseDialog>(Texts.Get("Release item"), parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: ReleaseStatus status })
        {
            if (status == ReleaseStatus.Released)
            {
                notify.Success(Texts.Format("{0} is released.", equipmentName));
            }
            else
            {
                notify.Info(Texts.Format("{0} had already been released.", equipmentName));
            }
            return true;
        }

        return false;
    }

    public async Task<bool> ChangeAsync(EquipmentRow item, EquipmentAction action, bool confirmed = false)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (title, message, yes, success) = action switch
        {
            EquipmentAction.OutOfService => (Texts.Get("Mark out of service?"), Texts.Format("Workers cannot activate {0} until it is back in service.", item.Name), Texts.Get("Out of service"), Texts.Format("{0} is out of service.", item.Name)),
            EquipmentAction.BackInService => (null, null, null, Texts.Format("{0} is back in service.", item.Name)),
            EquipmentAction.RegenerateCode => (Texts.Get("Make a new activation code?"), Texts.Format("The code on {0}'s label stops working: print a new label.", item.Name), Texts.Get("New code"), Texts.Format("{0} has a new activation code.", item.Name)),
            EquipmentAction.Retire => (Texts.Get("Retire this item?"), Texts.Format("{0} disappears from workers' lists; its history is kept.", item.Name), Texts.Get("Retire"), Texts.Format("{0} is retired.", item.Name)),
            EquipmentAction.Delete => (Texts.Get("Delete this item?"), Texts.Format("{0} is removed for good. Only items that were never used can be deleted.", item.Name), Texts.Get("Delete"), Texts.Format("{0} was deleted.", item.Name)),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        if (!confirmed && title is not null && await dialogs.ShowMessageBoxAsync(title, message!, yesText: yes!, cancelText: Texts.Get("Cancel")) != true)
        {
            return false;
        }

        try
        {
            var actor = await acting.ReconfirmedAsync();
            await services.RunAsync<EquipmentService>(s => action switch
            {
                EquipmentAction.OutOfService => s.MarkOutOfServiceAsync(actor, item.Id),
                EquipmentAction.BackInService => s.ReturnToServiceAsync(actor, item.Id),
                EquipmentAction.RegenerateCode => s.RegenerateActivationCodeAsync(actor, item.Id),
                EquipmentAction.Retire => s.RetireAsync(actor, item.Id),
                _ => s.DeleteAsync(actor, item.Id),
            });
            notify.Success(success);
            return true;
        }
        catch (DomainException ex) when (ex.Code == "equipment_used" && action == EquipmentAction.Delete)
        {
            // Used items keep their history: offer the way that does.
            if (await dialogs.ShowMessageBoxAsync(Texts.Get("This item cannot be deleted"), ex.Message, yesText: Texts.Get("Retire instead"), cancelText: Texts.Get("Cancel")) == true)
            {
                return await ChangeAsync(item, EquipmentAction.Retire, confirmed: true);
            }

            return false;
        }
        catch (DomainException ex)
        {
            notify.Error(ex.Message);
            return false;
        }
    }
}
