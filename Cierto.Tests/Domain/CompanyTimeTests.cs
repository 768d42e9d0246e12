using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cierto.Tests.Domain;

/// <summary>A company reads its own clock: its day starts at its midnight, its hours are its hours, across DST changes too.</summary>
public sealed class CompanyTimeTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly TimeZoneInfo Auckland = CompanyTime.Zone("Pacific/Auckland");

    [Fact]
    public void A_day_starts_at_the_companys_midnight_far_from_utc()
    {
        var at = DateTimeOffset.Parse("2026-11-25T21:30:00Z", System.Globalization.CultureInfo.InvariantCulture); // 10:30 on the 26th in Auckland (UTC+13)

        Assert.Equal(DateTimeOffset.Parse("2026-11-25T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), CompanyTime.DayStart(Auckland, at));
        Assert.Equal(at, CompanyTime.DayStart(TimeZoneInfo.Utc, at).AddHours(21.5));
    }

    [Fact]
    public void Hours_skipped_or_repeated_by_a_dst_change_start_where_the_clock_says()
    {
        // Auckland skips 02:00–03:00 on 27 September 2026: 02:00 does not exist, it starts at 03:00 NZDT.
        Assert.Equal(DateTimeOffset.Parse("2026-09-26T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), CompanyTime.Instant(Auckland, new DateTime(2026, 9, 27, 2, 0, 0)));
        Assert.Equal(DateTimeOffset.Parse("2026-09-26T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), CompanyTime.Instant(Auckland, new DateTime(2026, 9, 27, 3, 0, 0)));

        // Berlin repeats 02:00–03:00 on 25 October 2026: the hour starts at its first occurrence (CEST) and lasts two.
        var berlin = CompanyTime.Zone("Europe/Berlin");
        var two = CompanyTime.Instant(berlin, new DateTime(2026, 10, 25, 2, 0, 0));
        var three = CompanyTime.Instant(berlin, new DateTime(2026, 10, 25, 3, 0, 0));
        Assert.Equal(DateTimeOffset.Parse("2026-10-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), two);
        Assert.Equal(TimeSpan.FromHours(2), three - two);
    }

    [Fact]
    public async Task The_dashboard_counts_a_company_in_auckland_by_its_own_day_and_hours()
    {
        var (company, admin, item, worker) = await CompanyInAsync("Pacific/Auckland");
        await SessionAsync(company, item, worker, "2026-11-25T19:15:00Z", "2026-11-25T20:45:00Z"); // 08:15–09:45 local, today
        var other = await ItemAsync(admin, "Other");
        await SessionAsync(company, other, worker, "2026-11-25T10:30:00Z", null); // since 23:30 local yesterday, still held

        var snapshot = await DashboardAtAsync(admin, "2026-11-25T21:30:00Z"); // 10:30 local

        Assert.Equal("Pacific/Auckland", snapshot.TimeZone);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), snapshot.DayStart);
        Assert.Equal(1, snapshot.InUseByHour[0]);
        Assert.Equal(1, snapshot.InUseByHour[7]);
        Assert.Equal(2, snapshot.InUseByHour[8]);
        Assert.Equal(2, snapshot.InUseByHour[9]);
        Assert.Equal(1, snapshot.InUseByHour[10]);
        Assert.Equal(0, snapshot.InUseByHour[11]); // later today
    }

    [Fact]
    public async Task On_the_day_the_clocks_go_forward_the_skipped_hour_is_empty_and_the_others_count()
    {
        var (company, admin, item, worker) = await CompanyInAsync("Pacific/Auckland");
        await SessionAsync(company, item, worker, "2026-09-26T13:30:00Z", "2026-09-26T14:30:00Z"); // 01:30 NZST – 03:30 NZDT

        var snapshot = await DashboardAtAsync(admin, "2026-09-26T23:00:00Z"); // noon NZDT

        Assert.Equal(DateTimeOffset.Parse("2026-09-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), snapshot.DayStart);
        Assert.Equal([0, 1, 0, 1, 0], snapshot.InUseByHour.Take(5));
    }

    [Fact]
    public async Task Pages_and_exports_show_times_on_the_companys_clock()
    {
        var (company, admin, item, worker) = await CompanyInAsync("Pacific/Auckland");
        var started = DateTimeOffset.UtcNow.AddMinutes(-75);
        started = started.AddTicks(-(started.Ticks % TimeSpan.TicksPerMinute));
        await SessionAsync(company, item, worker, started.ToString("O"), null);
        var clock = new Cierto.Web.Components.Shared.ReadingClock("Pacific/Auckland");
        var (workerUser, _) = await UsersAsync(worker.UserId, admin.UserId);
        var (adminAccount, _) = await app.CreateUserAsync(Roles.CompanyAdmin, company);
        var adminUser = adminAccount.Email!;

        var mine = await (await app.App.SignInAsync(workerUser)).GetStringAsync(new Uri("/my-equipment", UriKind.Relative));
        Assert.Contains($">{System.Net.WebUtility.HtmlEncode(clock.Relative(started, DateTimeOffset.UtcNow))}</time>", mine, StringComparison.Ordinal); // "today 08:15" on Auckland's clock

        var csv = await (await app.App.SignInAsync(adminUser)).GetStringAsync(new Uri("/usage-history/export.csv", UriKind.Relative));
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("Started (Pacific/Auckland)", lines[0], StringComparison.Ordinal);
        Assert.Contains(TimeZoneInfo.ConvertTime(started, Auckland).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), lines[1], StringComparison.Ordinal);
        Assert.Contains(started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), lines[1], StringComparison.Ordinal);
    }

    private async Task<(string Worker, string Admin)> UsersAsync(Guid workerId, Guid adminId)
    {
        await using var db = app.Db();
        var emails = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(db.Users.Where(u => u.Id == workerId || u.Id == adminId), u => u.Id, u => u.Email!);
        return (emails[workerId], emails[adminId]);
    }

    [Fact]
    public async Task An_unknown_time_zone_is_refused_with_a_message_and_changes_nothing()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var error = await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<CompanyService>(s => s.SetTimeZoneAsync(admin, "Mars/Olympus_Mons")));
        Assert.Contains("TimeZone", error.Errors.Keys);
        Assert.Equal(CompanyTime.Default, (await app.RunAsync<CompanyService, CompanyDetails>(s => s.GetAsync(admin, companyId))).TimeZone);
    }

    private async Task<(Guid Company, Cierto.Domain.Accounts.Actor Admin, EquipmentRow Item, Cierto.Domain.Accounts.Actor Worker)> CompanyInAsync(string zone)
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetTimeZoneAsync(admin, zone));
        var item = await ItemAsync(admin, "Breaker");
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        return (companyId, admin, item, worker);
    }

    private Task<EquipmentRow> ItemAsync(Cierto.Domain.Accounts.Actor admin, string name) =>
        app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput(name, null, null, null)));

    private async Task SessionAsync(Guid company, EquipmentRow item, Cierto.Domain.Accounts.Actor worker, string started, string? ended)
    {
        await using var db = app.Db();
        var session = new UsageSession(company, item.Id, worker.UserId, DateTimeOffset.Parse(started, System.Globalization.CultureInfo.InvariantCulture));
        if (ended is not null)
        {
            session.End(SessionEndKind.Worker, worker.UserId, null, DateTimeOffset.Parse(ended, System.Globalization.CultureInfo.InvariantCulture));
        }

        db.UsageSessions.Add(session);
        await db.SaveChangesAsync();
    }

    private async Task<DashboardSnapshot> DashboardAtAsync(Cierto.Domain.Accounts.Actor admin, string now)
    {
        await using var db = app.Db();
        return await new DashboardSnapshots(db, new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture))).LoadAsync(admin);
    }
}
