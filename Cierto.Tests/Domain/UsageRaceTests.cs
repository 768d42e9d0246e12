using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>
/// Check-then-act races between an activation and an admin's change, run 50 times each on real
/// PostgreSQL: whatever the interleaving, the database must leave a consistent state.
/// </summary>
public sealed class UsageRaceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int Rounds = 50;

    /// <summary>Starts both at the same moment, on pool threads, each in its own scope.</summary>
    private static async Task RaceAsync(Func<Task> first, Func<Task> second)
    {
        using var start = new ManualResetEventSlim();
        var a = Task.Run(async () => { start.Wait(); await first(); });
        var b = Task.Run(async () => { start.Wait(); await second(); });
        start.Set();
        await Task.WhenAll(a, b);
    }

    private async Task TakeOutOfUseWhileActivatingAsync(Func<EquipmentService, Actor, Guid, Task> takeOut, EquipmentStatus outOfUse)
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var both = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var item = await app.AddItemAsync(companyId, $"Item {round}");
            ActivationResult? activation = null;
            var changed = false;
            await RaceAsync(
                async () => activation = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode)),
                async () =>
                {
                    try
                    {
                        await app.RunAsync<EquipmentService>(s => takeOut(s, admin, item.Id));
                        changed = true;
                    }
                    catch (Cierto.Domain.Common.DomainException ex) when (ex.Code == "equipment_in_use")
                    {
                    }
                });

            await using var db = app.Db();
            var status = await db.Equipment.Where(e => e.Id == item.Id).Select(e => e.Status).SingleAsync();
            var held = await db.UsageSessions.AnyAsync(s => s.EquipmentId == item.Id && s.EndedAt == null);
            Assert.False(status == outOfUse && held, $"Round {round}: the item is {status} and someone holds it.");
            Assert.Equal(activation!.Succeeded, held);
            Assert.Equal(changed, status == outOfUse);
            both += activation.Succeeded && changed ? 1 : 0;

            if (held)
            {
                await using var end = app.Db();
                await end.UsageSessions.Where(s => s.EquipmentId == item.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, DateTimeOffset.UtcNow));
            }
        }

        Assert.Equal(0, both);
    }

    [Fact]
    public Task Retiring_an_item_while_it_is_activated_never_leaves_a_retired_item_in_use() =>
        TakeOutOfUseWhileActivatingAsync((s, admin, id) => s.RetireAsync(admin, id), EquipmentStatus.Retired);

    [Fact]
    public Task Putting_an_item_out_of_service_while_it_is_activated_never_leaves_it_in_use() =>
        TakeOutOfUseWhileActivatingAsync((s, admin, id) => s.MarkOutOfServiceAsync(admin, id), EquipmentStatus.OutOfService);

    [Fact]
    public async Task Concurrent_activations_by_one_worker_never_exceed_the_company_cap()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<CompanyService>(s => s.SetActiveItemCapAsync(admin, 1));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        for (var round = 0; round < Rounds; round++)
        {
            var first = await app.AddItemAsync(companyId, $"First {round}");
            var second = await app.AddItemAsync(companyId, $"Second {round}");
            var results = new ActivationResult[2];
            await RaceAsync(
                async () => results[0] = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, first.ActivationCode)),
                async () => results[1] = await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, second.ActivationCode)));

            await using var db = app.Db();
            var held = await db.UsageSessions.CountAsync(s => s.WorkerId == worker.UserId && s.EndedAt == null);
            Assert.True(held == 1, $"Round {round}: the worker holds {held} items with a cap of 1.");
            Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Status == ActivationStatus.LimitReached);
            await db.UsageSessions.Where(s => s.WorkerId == worker.UserId).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, DateTimeOffset.UtcNow));
        }
    }
}
