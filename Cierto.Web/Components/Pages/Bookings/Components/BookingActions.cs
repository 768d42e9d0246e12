using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Localization;
using Cierto.Web.Components.Shared;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using MudBlazor;

namespace Cierto.Web.Components.Pages.Bookings.Components;

/// <summary>Opening a booking (new or existing) from the bookings page, an item's page or the free list, and saying how it went.</summary>
public sealed class BookingActions(ServiceRunner services, IDialogService dialogs, Notifier notify, ActingUser acting)
{
    /// <summary>Shows the booking dialog; true when something was booked, changed or cancelled.</summary>
    public async Task<bool> OpenAsync(ReadingClock clock, BookingRow? booking = null, BookableItem? item = null, DateTimeOffset? startsAt = null)
    {
        if (booking is { State: BookingState.Ended or BookingState.Overdue })
        {
            notify.Info(Texts.Get("This booking has ended and can no longer be changed."));
            return false;
        }

        var actor = await acting.ReconfirmedAsync();
        var rules = await services.RunAsync<CompanyService, BookingRules>(s => s.BookingRulesAsync(actor));
        var parameters = new DialogParameters<BookingDialog>
        {
            { d => d.Booking, booking },
            { d => d.FixedItem, item },
            { d => d.StartsAt, startsAt },
            { d => d.Clock, clock },
            { d => d.IsAdmin, actor.IsCompanyAdmin },
            { d => d.Rules, rules },
        };
        var title = booking is null ? Texts.Get("Book an item") : Texts.Get("Booking");
        var dialog = await dialogs.ShowAsync<BookingDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, FullScreen = false });
        var result = await dialog.Result;
        switch (result)
        {
            case { Canceled: false, Data: BookingDialog.Cancelled }:
                notify.Success(Texts.Get("The booking is cancelled."));
                return true;
            case { Canceled: false, Data: Guid }:
                notify.Success(booking is null ? Texts.Get("Booked. You will find it under Bookings.") : Texts.Get("The booking is saved."));
                return true;
            default:
                return false;
        }
    }
}
