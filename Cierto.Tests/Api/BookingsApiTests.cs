using System.Net;
using System.Net.Http.Json;
using Cierto.Domain.Bookings;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Ical.Net;
using static Cierto.Tests.Api.ApiCalls;

using static Cierto.Tests.Infrastructure.AppFixture;

namespace Cierto.Tests.Api;

/// <summary>The bookings API as the mobile app uses it, and the calendar feed a phone's calendar reads.</summary>
public sealed class BookingsApiTests(ApiRouteTests.ManyLoginsFixture app) : IClassFixture<ApiRouteTests.ManyLoginsFixture>
{
    [Fact]
    public async Task A_worker_books_edits_and_cancels_and_an_overlap_or_a_broken_rule_answers_with_its_code()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level", "INV-7");
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (colleague, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = await app.SignedInClientAsync(worker.Email!);
        var other = await app.SignedInClientAsync(colleague.Email!);

        var created = await client.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = Hour(2), endsAt = Hour(4), note = "Site 12" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/bookings/{id}", created.Headers.Location?.OriginalString);

        await AssertProblemAsync(await other.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = Hour(3), endsAt = Hour(5) }), HttpStatusCode.Conflict, "booking_overlaps");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = Hour(4), endsAt = Hour(5) })).StatusCode);
        await AssertProblemAsync(await other.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = Hour(10), endsAt = Hour(100) }), HttpStatusCode.BadRequest, "booking_too_long");
        await AssertProblemAsync(await other.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = Hour(-3), endsAt = Hour(-2) }), HttpStatusCode.BadRequest, "booking_in_past");
        var missing = await other.PostAsJsonAsync("/api/v1/bookings", new { note = "x" });
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["endsAt", "equipmentId", "startsAt"], (await JsonAsync(missing)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var mine = await JsonAsync(await client.GetAsync(new Uri("/api/v1/bookings", UriKind.Relative)));
        var only = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(id, only.GetProperty("id").GetGuid());
        Assert.Equal("upcoming", only.GetProperty("state").GetString());
        Assert.Equal("Site 12", only.GetProperty("note").GetString());

        var moved = await client.PutAsJsonAsync($"/api/v1/bookings/{id}", new { equipmentId = item.Id, startsAt = Hour(1), endsAt = Hour(3) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(Hour(1), (await JsonAsync(moved)).GetProperty("startsAt").GetDateTimeOffset());
        await AssertProblemAsync(await other.DeleteAsync(new Uri($"/api/v1/bookings/{id}", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri($"/api/v1/bookings/{id}", UriKind.Relative))).StatusCode);
        await AssertProblemAsync(await client.GetAsync(new Uri($"/api/v1/bookings/{id}", UriKind.Relative)), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Availability_shows_the_gaps_and_an_activation_in_someone_elses_booking_says_when_the_item_is_free()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Core drill", "INV-7");
        var (booker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (other, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var adminClient = await app.SignedInClientAsync(adminUser.Email!);
        var now = DateTimeOffset.UtcNow;
        var ends = Hour(2).AddMinutes(30);

        // An admin books for a worker, from now.
        var created = await adminClient.PostAsJsonAsync("/api/v1/bookings", new { equipmentId = item.Id, startsAt = now, endsAt = ends, workerId = booker.Id });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var otherClient = await app.SignedInClientAsync(other.Email!);
        var availability = await JsonAsync(await otherClient.GetAsync(new Uri($"/api/v1/equipment/{item.Id}/availability?from={Uri.EscapeDataString(Hour(0).ToString("O"))}&to={Uri.EscapeDataString(Hour(6).ToString("O"))}", UriKind.Relative)));
        var booked = Assert.Single(availability.GetProperty("booked").EnumerateArray());
        Assert.Equal(JsonValueKindNull, booked.GetProperty("workerName").ValueKind); // a worker is not told who
        var free = availability.GetProperty("free").EnumerateArray().Select(f => f.GetProperty("from").GetDateTimeOffset()).ToList();
        Assert.Equal([Hour(0), ends], free); // before the booking (it starts a little after the hour) and after it

        var refused = await otherClient.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode });
        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "equipment_booked");
        Assert.Equal(ends, (await JsonAsync(await otherClient.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode }))).GetProperty("freeAt").GetDateTimeOffset());

        var bookerClient = await app.SignedInClientAsync(booker.Email!);
        Assert.Equal(HttpStatusCode.Created, (await bookerClient.PostAsJsonAsync("/api/v1/activations", new { activationCode = item.ActivationCode })).StatusCode);
        var list = await JsonAsync(await adminClient.GetAsync(new Uri($"/api/v1/bookings?workerId={booker.Id}", UriKind.Relative)));
        Assert.Equal("checked_out", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_calendar_feed_lists_the_workers_bookings_until_the_address_is_revoked()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var item = await app.AddItemAsync(companyId, "Laser level", "INV-7");
        var (_, actor) = await app.CreateUserAsync(Roles.Worker, companyId);
        await app.RunAsync<BookingService, Guid>(s => s.CreateAsync(actor, new BookingInput(item.Id, Hour(2), Hour(5), "Bridge job")));
        var secret = await app.RunAsync<CalendarFeeds, string>(s => s.CreateAsync(actor));
        var anonymous = app.App.CreateClient();

        var feed = await anonymous.GetAsync(new Uri($"/calendar/{secret}.ics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", feed.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var calendar = Calendar.Load(await feed.Content.ReadAsStringAsync())!;
        var booking = Assert.Single(calendar.Events);
        Assert.Equal("Laser level (INV-7)", booking.Summary);
        Assert.Equal("Bridge job", booking.Description);
        Assert.Equal(Hour(2).UtcDateTime, booking.DtStart!.AsUtc);
        Assert.Equal(Hour(5).UtcDateTime, booking.DtEnd!.AsUtc);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri($"/calendar/{secret[..^2]}xx.ics", UriKind.Relative))).StatusCode);
        await app.RunAsync<CalendarFeeds>(s => s.RevokeAsync(actor));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri($"/calendar/{secret}.ics", UriKind.Relative))).StatusCode);
    }
}
