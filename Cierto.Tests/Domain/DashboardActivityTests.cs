using System.Globalization;
using Cierto.Domain.Accounts;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cierto.Tests.Domain;

/// <summary>The dashboard's activity list on PostgreSQL: the newest events of the company, activations and ends alike, at known times.</summary>
public sealed class DashboardActivityTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-26T12:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Activity_lists_the_newest_fifteen_events_newest_first_with_how_each_session_ended()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (workerUser, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var items = new List<EquipmentRow>();
        for (var i = 0; i < 12; i++)
        {
            items.Add(await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput($"Tool {i:00}", null, null, null))));
        }

        // A session held for a long time that ended a minute ago: its end is new, its start is old.
        await SessionAsync(companyId, items[0], worker, Now.AddDays(-30), (Now.AddMinutes(-1), SessionEndKind.ForceRelease, "Left on site"));
        // Ten short sessions, one an hour, the latest ending two hours ago.
        for (var i = 1; i <= 10; i++)
        {
            var start = Now.AddHours(-2 - (2 * (10 - i))).AddMinutes(-30);
            await SessionAsync(companyId, items[i], worker, start, (start.AddMinutes(30), SessionEndKind.Worker, null));
        }

        // One held now, taken five minutes ago.
        await SessionAsync(companyId, items[11], worker, Now.AddMinutes(-5), null);
        // Another company's newer events stay out.
        var (otherCompany, _, otherAdmin) = await app.CreateCompanyAsync();
        var (_, otherWorker) = await app.CreateUserAsync(Roles.Worker, otherCompany);
        var foreign = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(otherAdmin, new EquipmentInput("Foreign", null, null, null)));
        await SessionAsync(otherCompany, foreign, otherWorker, Now.AddSeconds(-10), null);

        DashboardSnapshot snapshot;
        await using (var db = app.Db())
        {
            snapshot = await new DashboardSnapshots(db, new FakeTimeProvider(Now)).LoadAsync(admin);
        }

        var expected = new List<(DateTimeOffset, string, UsageChangeKind, string?)>
        {
            (Now.AddMinutes(-1), "Tool 00", UsageChangeKind.ForceReleased, "Left on site"),
            (Now.AddMinutes(-5), "Tool 11", UsageChangeKind.Activated, null),
        };
        for (var i = 10; expected.Count < DashboardSnapshots.ActivityItems; i--)
        {
            var start = Now.AddHours(-2 - (2 * (10 - i))).AddMinutes(-30);
            expected.Add((start.AddMinutes(30), $"Tool {i:00}", UsageChangeKind.Deactivated, null));
            if (expected.Count < DashboardSnapshots.ActivityItems)
            {
                expected.Add((start, $"Tool {i:00}", UsageChangeKind.Activated, null));
            }
        }

        Assert.Equal(expected, snapshot.Activity.Select(a => (a.At, a.EquipmentName, a.Kind, a.Reason)).ToList());
        Assert.All(snapshot.Activity, a => Assert.Equal(workerUser.DisplayName, a.WorkerName));
        Assert.Equal(items[0].Id, snapshot.Activity[0].EquipmentId);
    }

    private async Task SessionAsync(Guid company, EquipmentRow item, Actor worker, DateTimeOffset started, (DateTimeOffset At, SessionEndKind Kind, string? Reason)? end)
    {
        await using var db = app.Db();
        var session = new UsageSession(company, item.Id, worker.UserId, started);
        if (end is { } e)
        {
            session.End(e.Kind, worker.UserId, e.Reason, e.At);
        }

        db.UsageSessions.Add(session);
        await db.SaveChangesAsync();
    }
}
