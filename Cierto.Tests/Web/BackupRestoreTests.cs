using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using Npgsql;

namespace Cierto.Tests.Web;

/// <summary>
/// The backup the README documents: <c>pg_dump --format=custom</c> of the database, restored with
/// <c>pg_restore</c> into a fresh, empty database, runs the app again. Everything that matters is in
/// the database — accounts, equipment, history, the outbox and the Data Protection keys — so a
/// token issued before the backup is still accepted by the restored app.
/// </summary>
public sealed class BackupRestoreTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_dump_restored_into_an_empty_database_runs_the_app_with_its_people_items_and_keys()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Backed-up drill", "BK-1", null, null)));
        var before = await app.SignedInClientAsync(adminUser.Email!);
        var dump = Path.Combine(Path.GetTempPath(), $"cierto-backup-{Guid.NewGuid():N}.dump");

        await RunAsync("pg_dump", app.Database.ConnectionString, "--format=custom", "--no-owner", $"--file={dump}");
        await using var restored = new PostgresDatabase();
        await restored.InitializeAsync();
        await using (var connection = new NpgsqlConnection(restored.ConnectionString))
        {
            await connection.OpenAsync();
            await using var empty = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", connection);
            await empty.ExecuteNonQueryAsync(); // nothing left of the migrated copy: the dump alone makes the schema
        }

        await RunAsync("pg_restore", restored.ConnectionString, "--no-owner", "--exit-on-error", "--dbname", new NpgsqlConnectionStringBuilder(restored.ConnectionString).Database!, dump);
        File.Delete(dump);

        await using var restoredApp = new CiertoAppFactory(restored);
        var client = restoredApp.CreateClient();
        client.DefaultRequestHeaders.Authorization = before.DefaultRequestHeaders.Authorization;
        var items = await client.GetAsync(new Uri("/api/v1/equipment", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Contains("Backed-up drill", await items.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var signIn = await restoredApp.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = adminUser.Email, password = AppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    /// <summary>A PostgreSQL client tool, connected through libpq's environment variables.</summary>
    private static async Task RunAsync(string tool, string connectionString, params string[] arguments)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password;
        start.Environment["PGDATABASE"] = connection.Database;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await output}{await errors}");
    }
}
