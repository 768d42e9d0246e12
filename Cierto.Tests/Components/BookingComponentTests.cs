using System.Globalization;
using Bunit;
using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Pages.Bookings.Components;
using Cierto.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cierto.Tests.Components;

/// <summary>The week calendar and the booking dialog: what they show on which clock, and what they send.</summary>
public sealed class BookingComponentTests : PageTestBase, IClassFixture<AppFixture>
{
    // 14 March 2027, 01:30–03:30 on New York's wall clock (its clocks jump at 02:00): one hour, 06:30–07:30 UTC.
    private static readonly DateTimeOffset DstStart = new(2027, 3, 14, 6, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DstEnd = new(2027, 3, 14, 7, 30, 0, TimeSpan.Zero);
    private readonly CultureInfo culture = CultureInfo.CurrentCulture;

    public BookingComponentTests(AppFixture app)
        : base(app)
    {
        Services.AddScoped<BookingActions>();
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-GB"); // 24-hour times
    }

    private static BookingRow Row(DateTimeOffset from, DateTimeOffset to, string item = "Laser level", bool mine = false, BookingState state = BookingState.Upcoming) =>
        new(Guid.NewGuid(), Guid.NewGuid(), item, null, Guid.NewGuid(), mine ? "Me" : "Walt", from, to, null, false, mine) { State = state };

    private IRenderedComponent<WeekCalendar> Week(string zone, DateTime monday, params BookingRow[] bookings) => Render<WeekCalendar>(p => p
        .Add(c => c.WeekStart, monday)
        .Add(c => c.Bookings, bookings)
        .Add(c => c.Clock, new ReadingClock(zone))
        .Add(c => c.Now, new DateTimeOffset(2027, 3, 10, 12, 0, 0, TimeSpan.Zero)));

    private static string Day(IRenderedComponent<WeekCalendar> week, string date) => week.Find($"li[data-day='{date}']").TextContent;

    [Fact]
    public void The_week_shows_a_booking_on_its_own_day_and_times_on_the_readers_clock()
    {
        var booking = Row(DstStart, DstEnd);

        var newYork = Week("America/New_York", new DateTime(2027, 3, 8), booking);
        Assert.Contains("01:30–03:30", Day(newYork, "2027-03-14"), StringComparison.Ordinal);
        Assert.Single(newYork.FindAll("[data-testid=booking]"));

        var berlin = Week("Europe/Berlin", new DateTime(2027, 3, 8), booking); // Berlin changes its clocks two weeks later
        Assert.Contains("07:30–08:30", Day(berlin, "2027-03-14"), StringComparison.Ordinal);
        Assert.Contains("Nothing booked", Day(berlin, "2027-03-13"), StringComparison.Ordinal);

        var tokyo = Week("Asia/Tokyo", new DateTime(2027, 3, 8), booking);
        Assert.Contains("15:30–16:30", Day(tokyo, "2027-03-14"), StringComparison.Ordinal);
        Assert.Equal("date", tokyo.Find("li[data-day='2027-03-10']").GetAttribute("aria-current")); // today
    }

    [Fact]
    public void A_booking_over_several_days_shows_on_each_open_ended_and_opens_when_chosen()
    {
        var chosen = new List<BookingRow>();
        var long_ = Row(new DateTimeOffset(2027, 3, 9, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 11, 9, 0, 0, TimeSpan.Zero), mine: true, state: BookingState.Current);
        var week = Render<WeekCalendar>(p => p
            .Add(c => c.WeekStart, new DateTime(2027, 3, 8))
            .Add(c => c.Bookings, [long_])
            .Add(c => c.Clock, new ReadingClock("UTC"))
            .Add(c => c.Now, new DateTimeOffset(2027, 3, 10, 12, 0, 0, TimeSpan.Zero))
            .Add(c => c.OnSelect, (BookingRow b) => chosen.Add(b)));

        Assert.Contains("16:00–…", Day(week, "2027-03-09"), StringComparison.Ordinal);
        Assert.Contains("…–…", Day(week, "2027-03-10"), StringComparison.Ordinal);
        Assert.Contains("…–09:00", Day(week, "2027-03-11"), StringComparison.Ordinal);
        Assert.Contains("you · Running", Day(week, "2027-03-10"), StringComparison.Ordinal);
        Assert.Equal(3, week.FindAll("[data-testid=booking]").Count);

        week.FindAll("li[data-day='2027-03-10'] button")[0].Click();
        Assert.Same(long_, Assert.Single(chosen));
    }

    private async Task<(Cierto.Domain.Accounts.Actor Worker, EquipmentItem Item)> NewYorkWorkerAsync()
    {
        var (companyId, _, admin) = await App.CreateCompanyAsync();
        await App.RunAsync<CompanyService>(s => s.SetTimeZoneAsync(admin, "America/New_York"));
        await App.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 72, 365, 15, 60)));
        var item = await App.AddItemAsync(companyId, "Laser level");

        var (_, worker) = await App.CreateUserAsync(Roles.Worker, companyId);
        return (worker, item);
    }

    private IRenderedComponent<MudDialogProvider> OpenDialog(EquipmentItem item)
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = RenderInteractive<ItemBookings>(p => p
            .Add(c => c.Item, new BookableItem(item.Id, item.Name, null))
            .AddCascadingValue(new ReadingClock("America/New_York")));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=week-calendar]")));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Book").Click();
        dialogs.WaitForElement("#booking-form");
        return dialogs;
    }

    private static void Type(IRenderedComponent<MudDialogProvider> dialogs, string starts, string ends)
    {
        var times = dialogs.FindAll("#booking-form input[type=datetime-local]");
        times[0].Change(starts);
        dialogs.FindAll("#booking-form input[type=datetime-local]")[1].Change(ends);
        dialogs.Find("#booking-form").Submit();
    }

    [Fact]
    public async Task The_dialog_reads_typed_times_on_the_company_clock_across_a_DST_jump()
    {
        var (worker, item) = await NewYorkWorkerAsync();
        SignIn(worker);
        var dialogs = OpenDialog(item);
        Assert.Contains("Times on your company's clock (America/New_York).", dialogs.Markup, StringComparison.Ordinal);

        Type(dialogs, "2027-03-14T01:30", "2027-03-14T03:30");

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#booking-form")));
        await using var db = App.Db();
        var saved = await db.Bookings.SingleAsync(b => b.EquipmentId == item.Id);
        Assert.Equal((DstStart, DstEnd), (saved.StartsAt, saved.EndsAt));
    }

    [Fact]
    public async Task A_bad_range_is_named_on_its_field_and_an_overlap_is_an_alert_and_nothing_is_saved()
    {
        var (worker, item) = await NewYorkWorkerAsync();
        var (_, colleague) = await App.CreateUserAsync(Roles.Worker, worker.CompanyId);
        await App.RunAsync<BookingService, Guid>(s => s.CreateAsync(colleague, new BookingInput(item.Id, DstStart, DstEnd)));
        SignIn(worker);
        var dialogs = OpenDialog(item);

        Type(dialogs, "2027-03-14T05:00", "2027-03-14T04:00");
        dialogs.WaitForAssertion(() => Assert.Contains("The end must be after the start.", dialogs.Find("#booking-form").TextContent, StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll("[data-testid=booking-error]"));

        Type(dialogs, "2027-03-14T03:00", "2027-03-14T05:00");
        dialogs.WaitForAssertion(() => Assert.Contains("The item is already booked from ", dialogs.Find("[data-testid=booking-error]").TextContent, StringComparison.Ordinal));
        Assert.Contains("someone else", dialogs.Find("[data-testid=booking-availability]").TextContent, StringComparison.Ordinal);

        await using var db = App.Db();
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.EquipmentId == item.Id));
    }

    protected override void Dispose(bool disposing)
    {
        CultureInfo.CurrentCulture = culture;
        base.Dispose(disposing);
    }
}
