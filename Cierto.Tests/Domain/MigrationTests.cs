using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Domain;

/// <summary>Both providers' migrations build the whole schema, and its guarantees hold in each.</summary>
public sealed class PostgresMigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Migrations_create_every_table_of_the_model()
    {
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await SchemaAssertions.EveryEntityTableExistsAsync(db);
    }

    [Fact]
    public async Task The_fixture_talks_to_a_real_PostgreSQL_server()
    {
        await using var db = database.CreateContext();
        var version = await db.Database.SqlQueryRaw<string>("SELECT version() AS \"Value\"").SingleAsync();
        Assert.StartsWith("PostgreSQL", version, StringComparison.Ordinal);
        Assert.Equal(database.Name, await db.Database.SqlQueryRaw<string>("SELECT current_database()::text AS \"Value\"").SingleAsync());
    }

    [Fact]
    public Task A_second_active_session_for_one_item_is_rejected() =>
        SchemaAssertions.SecondActiveSessionIsRejectedAsync(database.CreateContext);

    [Fact]
    public Task Identification_numbers_and_activation_codes_are_unique() =>
        SchemaAssertions.UniqueConstraintsHoldAsync(database.CreateContext);

    [Fact]
    public async Task The_four_roles_are_seeded_by_the_migration()
    {
        await using var db = database.CreateContext();
        Assert.Equal(Roles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }
}

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"cierto-test-{Guid.NewGuid():N}.db");

    private CiertoDbContext CreateContext() =>
        DatabaseServiceCollectionExtensions.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"));

    private async Task<CiertoDbContext> MigratedAsync()
    {
        var db = CreateContext();
        await db.Database.MigrateAsync();
        return db;
    }

    [Fact]
    public async Task Migrations_create_every_table_of_the_model()
    {
        await using var db = await MigratedAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await SchemaAssertions.EveryEntityTableExistsAsync(db);
    }

    [Fact]
    public async Task A_second_active_session_for_one_item_is_rejected()
    {
        await (await MigratedAsync()).DisposeAsync();
        await SchemaAssertions.SecondActiveSessionIsRejectedAsync(CreateContext);
    }

    [Fact]
    public async Task Identification_numbers_and_activation_codes_are_unique()
    {
        await (await MigratedAsync()).DisposeAsync();
        await SchemaAssertions.UniqueConstraintsHoldAsync(CreateContext);
    }

    [Fact]
    public async Task Dates_round_trip_and_sort_as_instants()
    {
        await using var db = await MigratedAsync();
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(1));
        db.Companies.Add(new Company("Later", "L1", now.AddMinutes(5)));
        db.Companies.Add(new Company("Earlier", "E1", now));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var names = await db.Companies.Where(c => c.CreatedAt >= now).OrderBy(c => c.CreatedAt).Select(c => c.Name).ToListAsync();
        Assert.Equal(["Earlier", "Later"], names);
        Assert.Equal(now, (await db.Companies.SingleAsync(c => c.Name == "Earlier")).CreatedAt);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}

internal static class SchemaAssertions
{
    public static async Task EveryEntityTableExistsAsync(CiertoDbContext db)
    {
        var expected = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().ToList();
        Assert.Contains("UsageSessions", expected);
        foreach (var table in expected)
        {
            // A query against each table throws (42P01 / "no such table") if the migration did not create it.
#pragma warning disable EF1002 // names come from the model
            await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{table}\"").SingleAsync();
#pragma warning restore EF1002
        }
    }

    public static async Task SecondActiveSessionIsRejectedAsync(Func<CiertoDbContext> createContext)
    {
        var now = DateTimeOffset.UtcNow;
        Guid equipmentId;
        Guid companyId;
        Guid workerId;
        await using (var db = createContext())
        {
            var company = new Company("Index test", $"IX{Guid.NewGuid():N}"[..20], now);
            var item = new EquipmentItem(company.Id, "Drill", null, null, null, now);
            var worker = new CiertoUser { Id = Guid.NewGuid(), UserName = $"{Guid.NewGuid():N}@t.test", CompanyId = company.Id, DisplayName = "W" };
            db.AddRange(company, item, worker);
            db.UsageSessions.Add(new UsageSession(company.Id, item.Id, worker.Id, now));
            await db.SaveChangesAsync();
            (equipmentId, companyId, workerId) = (item.Id, company.Id, worker.Id);
        }

        await using (var db = createContext())
        {
            db.UsageSessions.Add(new UsageSession(companyId, equipmentId, workerId, now.AddSeconds(1)));
            var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(UniqueViolation.Is(ex), ex.InnerException?.Message);
        }

        // Once the first session ends, a new one is allowed: the index only covers active rows.
        await using (var db = createContext())
        {
            var active = await db.UsageSessions.SingleAsync(s => s.EquipmentId == equipmentId);
            active.End(SessionEndKind.Worker, workerId, null, now.AddMinutes(1));
            db.UsageSessions.Add(new UsageSession(companyId, equipmentId, workerId, now.AddMinutes(2)));
            await db.SaveChangesAsync();
            Assert.Equal(2, await db.UsageSessions.CountAsync(s => s.EquipmentId == equipmentId));
            Assert.Equal(1, await db.UsageSessions.CountAsync(s => s.EquipmentId == equipmentId && s.EndedAt == null));
        }
    }

    public static async Task UniqueConstraintsHoldAsync(Func<CiertoDbContext> createContext)
    {
        var now = DateTimeOffset.UtcNow;
        var number = $"U{Guid.NewGuid():N}"[..20];
        await using (var db = createContext())
        {
            db.Companies.Add(new Company("First", number, now));
            await db.SaveChangesAsync();
        }

        await using (var db = createContext())
        {
            // Normalisation makes "u-abc" and "UABC" the same number.
            db.Companies.Add(new Company("Second", number.ToLowerInvariant().Insert(1, "-"), now));
            Assert.True(UniqueViolation.Is(await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync())));
        }

        await using (var db = createContext())
        {
            var normalized = Company.NormalizeIdentificationNumber(number);
            var company = await db.Companies.SingleAsync(c => c.IdentificationNumber == normalized);
            var first = new EquipmentItem(company.Id, "A", null, null, null, now);
            var second = new EquipmentItem(company.Id, "B", null, null, null, now);
            db.Entry(second).Property(e => e.ActivationCode).CurrentValue = first.ActivationCode;
            db.Equipment.AddRange(first, second);
            Assert.True(UniqueViolation.Is(await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync())));
        }
    }
}
