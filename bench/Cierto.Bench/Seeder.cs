using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Npgsql;

namespace Cierto.Bench;

/// <summary>Fills one company with realistic equipment, workers and active sessions, in bulk SQL.</summary>
internal static class Seeder
{
    public static async Task<(Guid CompanyId, Guid AdminId)> SeedAsync(string connectionString, int items)
    {
        var now = DateTimeOffset.UtcNow;
        var company = new Company("Bench Builders", "BENCH-1", now);
        var adminId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // A million items take minutes to load: no command timeout.
        await using var batch = new NpgsqlBatch(connection)
        {
            Timeout = 0,
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO "Companies" ("Id", "Name", "IdentificationNumber", "JoinCode", "Status", "JoinPolicy", "CreatedAt")
                    VALUES ($1, $2, $3, $4, 0, 0, $5)
                    """)
                {
                    Parameters = { new() { Value = company.Id }, new() { Value = company.Name }, new() { Value = company.IdentificationNumber }, new() { Value = company.JoinCode }, new() { Value = now } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp",
                        "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "DisplayName", "CompanyId", "Status", "CreatedAt")
                    SELECT CASE WHEN g = 0 THEN $2 ELSE gen_random_uuid() END, 'w' || g || '@bench.test', upper('w' || g || '@bench.test'), 'w' || g || '@bench.test', upper('w' || g || '@bench.test'),
                        true, md5(g::text), md5(g::text), false, false, true, 0, 'Worker ' || g, $1, 1, $3
                    FROM generate_series(0, 200) AS g
                    """)
                {
                    Parameters = { new() { Value = company.Id }, new() { Value = adminId }, new() { Value = now } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO "Equipment" ("Id", "CompanyId", "Name", "InventoryNumber", "Category", "Description", "ActivationCode", "Status", "CreatedAt", "UpdatedAt", "Version")
                    SELECT gen_random_uuid(), $1,
                        (ARRAY['Hilti drill', 'Makita drill', 'Bosch grinder', 'Festool saw', 'Leica laser', 'Honda generator', 'Zarges ladder', 'Wacker rammer'])[1 + g % 8] || ' ' || g,
                        'INV-' || lpad(g::text, 7, '0'),
                        (ARRAY['Power tools', 'Measuring', 'Access', 'Power', 'Compaction'])[1 + g % 5],
                        NULL,
                        upper(lpad(to_hex(g), 7, '0')),
                        CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END,
                        $2, $2, gen_random_uuid()
                    FROM generate_series(1, $3) AS g
                    """)
                {
                    Parameters = { new() { Value = company.Id }, new() { Value = now }, new() { Value = items } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO "UsageSessions" ("Id", "CompanyId", "EquipmentId", "WorkerId", "StartedAt")
                    SELECT gen_random_uuid(), e."CompanyId", e."Id",
                        (SELECT u."Id" FROM "AspNetUsers" u WHERE u."CompanyId" = e."CompanyId" ORDER BY u."Id" OFFSET (abs(hashtext(e."Id"::text)) % 200) LIMIT 1),
                        $1
                    FROM "Equipment" e
                    WHERE e."Status" = 0 AND abs(hashtext(e."Id"::text)) % 20 = 0
                    """)
                {
                    Parameters = { new() { Value = now.AddHours(-2) } },
                },
                new NpgsqlBatchCommand("""INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ($1, $2)""")
                {
                    Parameters = { new() { Value = adminId }, new() { Value = Roles.Ids[Roles.CompanyAdmin] } },
                },
                new NpgsqlBatchCommand("ANALYZE"),
            },
        };
        await batch.ExecuteNonQueryAsync();
        return (company.Id, adminId);
    }
}

internal static class Sql
{
    /// <summary>Drops a database; autovacuum may still be busy with it after the bulk load, so wait for it a little.</summary>
    public static async Task DropDatabaseAsync(string server, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        // VACUUM of a million rows takes longer than the default 30 s.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
