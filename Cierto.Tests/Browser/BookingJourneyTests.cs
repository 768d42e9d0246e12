using System.Globalization;
using System.Text.RegularExpressions;
using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

public sealed class BookingJourneyTests(BrowserHost host) : BrowserTest(host)
{
    /// <summary>
    /// A worker books an item on a phone from now until a minute boundary about a minute ahead;
    /// another worker's activation is refused with the free-again time; the holder activates; when
    /// the booking ends with the item still out, the admin's open dashboard shows it overdue.
    /// </summary>
    [Fact]
    public async Task A_booking_on_a_phone_keeps_others_off_the_item_and_the_dashboard_shows_it_overdue_live() => await JourneyAsync(async () =>
    {
        var (companyId, _, adminEmail, admin) = await CompanyAsync();
        await Host.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 72, 60, 0, 60))); // no grace: overdue the moment it ends
        var item = await ItemAsync(admin, "Laser level", "LL-7");
        var (bookerEmail, _, bookerName) = await UserAsync(Roles.Worker, companyId);
        var (otherEmail, _, _) = await UserAsync(Roles.Worker, companyId);

        // The company's clock is UTC; the form takes wall-clock times to the minute.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var end = start.AddMinutes(now.Second < 20 ? 1 : 2); // 40 to 100 s from now: time to do the rest first
        static string Typed(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

        var phone = await OpenAsync(Screen.Phone);
        await SignInAsync(phone, bookerEmail, AppFixture.Password);
        await GotoAsync(phone, "free-equipment");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Book Laser level" }).ClickAsync();
        var form = phone.Locator("#booking-form");
        await Expect(form.GetByTestId("booking-item")).ToHaveTextAsync("Laser level");
        await ExpectAccessibleAsync(phone);
        await form.Locator("input[type=datetime-local]").Nth(0).FillAsync(Typed(start));
        await form.Locator("input[type=datetime-local]").Nth(1).FillAsync(Typed(end));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Booked." })).ToBeVisibleAsync();
        await Expect(form).ToHaveCountAsync(0);
        await Expect(phone.GetByTestId("next-booking")).ToContainTextAsync("Booked by you until");

        await GotoAsync(phone, "bookings");
        var week = phone.GetByTestId("week-calendar");
        await Expect(week.GetByTestId("booking")).ToContainTextAsync("Laser level");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The week must fit a 390 px screen without sideways scrolling.");
        await ExpectAccessibleAsync(phone);

        var other = await OpenAsync(Screen.Phone);
        await SignInAsync(other, otherEmail, AppFixture.Password);
        await GotoAsync(other, "activate");
        await Field(other, "Activation code").FillAsync(item.ActivationCode);
        await other.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        var refusal = other.GetByTestId("activation-error");
        await Expect(refusal).ToContainTextAsync("Laser level is booked by someone else. It is free again today");
        await Expect(refusal).ToContainTextAsync(end.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture));
        await ExpectAccessibleAsync(other);

        await GotoAsync(phone, "activate");
        await Field(phone, "Activation code").FillAsync(item.ActivationCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are now using Laser level" })).ToBeVisibleAsync();

        var desk = await OpenAsync();
        await SignInAsync(desk, adminEmail, AppFixture.Password);
        await GotoAsync(desk, "dashboard");
        await Expect(desk.GetByTestId("count-in-use")).ToHaveTextAsync("1");
        await Expect(desk.GetByTestId("count-overdue")).ToHaveTextAsync("0");
        await desk.EvaluateAsync("() => window.ciertoNotReloaded = true");

        // The booking ends while the item is still out: the scheduler finds it and the page follows.
        var wait = end - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        await Expect(desk.GetByTestId("count-overdue")).ToHaveTextAsync("1", new() { Timeout = (float)wait.TotalMilliseconds });
        var overdue = desk.GetByTestId("overdue-item");
        await Expect(overdue).ToContainTextAsync(bookerName);
        await Expect(overdue).ToContainTextAsync("Laser level");
        Assert.True(await desk.EvaluateAsync<bool>("() => window.ciertoNotReloaded === true"), "The dashboard must show it without reloading.");
        await ExpectAccessibleAsync(desk);

        await GotoAsync(desk, "bookings");
        await desk.GetByRole(AriaRole.Tab, new() { Name = "List" }).ClickAsync();
        await Expect(desk.GetByTestId("booking-row")).ToContainTextAsync("Overdue");
        await ExpectAccessibleAsync(desk);
        Assert.Matches(new Regex("bookings$"), desk.Url);
    });
}
