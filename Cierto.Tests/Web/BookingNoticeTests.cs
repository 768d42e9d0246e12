using Cierto.Domain.Accounts;
using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Cierto.Tests.Web;

public sealed class BookingNoticeFixture : SmtpAppFixture
{
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Cierto:Outbox:RetryDelaySeconds"] = "0.05",
        ["Cierto:Bookings:EscalateAfterMinutes"] = "0",
    };
}

/// <summary>Reminders, overdue and blocked-booking mails: each once, with two instances looking and delivering.</summary>
public sealed class BookingNoticeTests(BookingNoticeFixture app) : IClassFixture<BookingNoticeFixture>
{
    [Fact]
    public async Task Reminders_overdue_and_blocked_notices_are_mailed_once_with_two_instances_scanning_and_delivering()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetBookingRulesAsync(admin, new BookingRules(true, 72, 60, 0, 60)));
        var adminEmail = await EmailOfAsync(admin.UserId);
        var (reminded, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (late, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var (waiting, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var now = DateTimeOffset.UtcNow;
        await using (var db = app.Db())
        {
            var level = new EquipmentItem(companyId, "Laser level", null, null, null, now);
            var saw = new EquipmentItem(companyId, "Wall saw", null, null, null, now);
            var drill = new EquipmentItem(companyId, "Core drill", null, null, null, now);
            db.Equipment.AddRange(level, saw, drill);
            db.Bookings.AddRange(
                new Booking(companyId, level.Id, reminded.Id, now.AddMinutes(30), now.AddHours(2), null, reminded.Id, now.AddDays(-1)),
                new Booking(companyId, saw.Id, late.Id, now.AddHours(-3), now.AddMinutes(-10), null, late.Id, now.AddDays(-1)),
                new Booking(companyId, drill.Id, waiting.Id, now.AddMinutes(-5), now.AddHours(1), null, waiting.Id, now.AddDays(-1)));
            db.UsageSessions.AddRange(
                new UsageSession(companyId, saw.Id, late.Id, now.AddHours(-2)),
                new UsageSession(companyId, drill.Id, reminded.Id, now.AddHours(-1)));
            await db.SaveChangesAsync();
        }

        await using var second = new CiertoAppFactory(app.Database, new Dictionary<string, string?>(app.Smtp.AppSettings)
        {
            ["Cierto:PublicBaseUrl"] = "http://localhost",
            ["Cierto:Bookings:EscalateAfterMinutes"] = "0",
        });
        var instances = new[] { app.App.Services, second.Services };
        var schedulers = instances.Select(Scheduler).ToList();
        var dispatchers = instances.Select(s => s.GetRequiredService<OutboxDispatcher>()).ToList();

        async Task RoundAsync()
        {
            // Both instances look three times at once, then both deliver (follow-ups included).
            await Task.WhenAll(schedulers.SelectMany(s => Enumerable.Range(0, 3).Select(_ => Task.Run(() => s.ScanAsync(CancellationToken.None)))));
            for (var pass = 0; pass < 3; pass++)
            {
                await Task.WhenAll(dispatchers.Select(d => Task.Run(async () =>
                {
                    while (await d.DispatchBatchAsync(CancellationToken.None) > 0)
                    {
                    }
                })));
            }
        }

        await RoundAsync();
        await RoundAsync(); // a later look finds the same bookings due and writes nothing new

        List<string> To(string? address) => [.. Snapshot().Where(m => m.To.Mailboxes.Any(a => a.Address == address)).Select(m => m.Subject ?? string.Empty)];
        var toReminded = To(reminded.Email);
        Assert.Equal(2, toReminded.Count);
        Assert.Single(toReminded, s => s.StartsWith("Your booking of Laser level starts ", StringComparison.Ordinal));
        Assert.Single(toReminded, s => s == "Please return Core drill: it is booked");
        Assert.Equal(["Please return Wall saw: your booking has ended"], To(late.Email));
        Assert.Equal(["Core drill is not back yet"], To(waiting.Email));
        Assert.Equal(["Wall saw is overdue"], To(adminEmail).Where(s => s.Contains("Wall saw", StringComparison.Ordinal))); // (besides the company set-up mails)
    }

    private List<MimeMessage> Snapshot()
    {
        lock (app.Smtp.Messages)
        {
            return [.. app.Smtp.Messages];
        }
    }

    private static BookingScheduler Scheduler(IServiceProvider services) => new(
        services.GetRequiredService<IServiceScopeFactory>(),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cierto:Bookings:EscalateAfterMinutes"] = "0" }).Build(),
        TimeProvider.System,
        services.GetRequiredService<Cierto.Domain.Data.DatabaseOutages>(),
        NullLogger<BookingScheduler>.Instance);

    private async Task<string> EmailOfAsync(Guid userId)
    {
        await using var db = app.Db();
        return db.Users.Where(u => u.Id == userId).Select(u => u.Email!).Single();
    }
}
