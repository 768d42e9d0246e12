using Cierto.Domain.Bookings;
using Cierto.Domain.Localization;
using MudBlazor;

namespace Cierto.Web.Components.Pages.Bookings.Components;

/// <summary>How the pages name and colour where a booking stands.</summary>
public static class BookingStates
{
    public static string Name(BookingState state) => state switch
    {
        BookingState.Current => Texts.Get("Running"),
        BookingState.CheckedOut => Texts.Get("Taken"),
        BookingState.Ended => Texts.Get("Ended"),
        BookingState.Overdue => Texts.Get("Overdue"),
        _ => Texts.Get("Upcoming"),
    };

    public static Color Color(BookingState state) => state switch
    {
        BookingState.Overdue => MudBlazor.Color.Error,
        BookingState.CheckedOut => MudBlazor.Color.Success,
        BookingState.Current => MudBlazor.Color.Warning,
        BookingState.Ended => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Info,
    };
}
