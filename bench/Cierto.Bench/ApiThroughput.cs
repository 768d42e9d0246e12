using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Bench;

/// <summary>
/// Activate + end through the real API (Cierto.Web in Release on Kestrel, PostgreSQL) with 4, 16
/// and 64 concurrent clients, next to pgbench running the minimal durable transactions for the
/// same work on the same database. Each client uses its own item, so the numbers show the cost of
/// the work, not of contention (contention is what the 50-activation test is about).
/// </summary>
internal static class ApiThroughput
{
    private const string Password = "Bench-pass-2026";
    private static readonly int WarmUpSeconds = Smoke.Pick(30, 1); // tier-1 JIT is still compiling 30 s after start (perf: 14 % of the app's CPU)
    private static readonly int[] ClientCounts = [4, 16, 64];

    public static async Task RunAsync(string server, int seconds)
    {
        var database = $"cierto_apibench_{Environment.ProcessId}";
        await Sql.DropDatabaseAsync(server, database);
        await Sql.ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        // Without TLS on both sides (the app and pgbench), as in the compose deployment, whose
        // PostgreSQL has none: Debian's server offers it on loopback, where it only costs CPU.
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 200, SslMode = SslMode.Disable }.ToString();
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(new DatabaseSettings(DatabaseProvider.Postgres, connectionString)))
        {
            await db.Database.MigrateAsync();
        }

        var (companyId, workerIds, apiCodes) = await SeedAsync(connectionString);
        using var app = StartApp(connectionString);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5199/") };
            await WaitReadyAsync(http);
            // Tiered JIT and the connection pools settle before anything is timed.
            await RunApiAsync(http, workerIds, apiCodes, 16, WarmUpSeconds);
            Results.Note($"Activate + end, {seconds} s per row; API = Cierto.Web (Release) over HTTP; pgbench = the same SQL work, minimal; both without TLS. Latencies and app CPU per transaction in ms.");
            var table = Results.Table("clients", "API tx/s", "pgbench tx/s", "ratio", "API p50", "API p99", "pg p50", "pg p99", "app CPU ms/tx");
            var counts = Environment.GetEnvironmentVariable("CIERTO_BENCH_CLIENTS") is { Length: > 0 } list
                ? list.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray()
                : Smoke.Pick(ClientCounts, [4]);
            foreach (var clients in counts)
            {
                var cpuBefore = app.TotalProcessorTime;
                var api = await RunApiAsync(http, workerIds, apiCodes, clients, seconds);
                app.Refresh();
                var cpuPerTx = (app.TotalProcessorTime - cpuBefore).TotalMilliseconds / (api.Tps * seconds);
                var pg = await RunPgbenchAsync(server, database, companyId, workerIds[0], clients, seconds);
                table.Add($"{clients}", $"{api.Tps:N0}", $"{pg.Tps:N0}", $"{api.Tps / pg.Tps:P0}", $"{api.P50:0.00}", $"{api.P99:0.00}", $"{pg.P50:0.00}", $"{pg.P99:0.00}", $"{cpuPerTx:0.00}");
            }
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            NpgsqlConnection.ClearAllPools();
            await Sql.DropDatabaseAsync(server, database);
        }
    }

    private static async Task<(Guid Company, List<Guid> Workers, List<string> Codes)> SeedAsync(string connectionString)
    {
        var company = Guid.NewGuid();
        var hash = new PasswordHasher<CiertoUser>().HashPassword(new CiertoUser(), Password);
        var workers = Enumerable.Range(0, 64).Select(_ => Guid.NewGuid()).ToList();
        var codes = Enumerable.Range(0, 64).Select(_ => Codes.Generate(7)).ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""INSERT INTO "Companies" ("Id", "Name", "IdentificationNumber", "JoinCode", "Status", "JoinPolicy", "CreatedAt") VALUES ($1, 'Bench Ltd', 'APIBENCH', 'BENCHJN2', 0, 0, now())""") { Parameters = { new() { Value = company } } });
        for (var i = 0; i < 64; i++)
        {
            var email = $"w{i}@apibench.test";
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp",
                    "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "DisplayName", "CompanyId", "Status", "CreatedAt")
                VALUES ($1, $2, upper($2), $2, upper($2), true, $3, md5($2), md5($2), false, false, true, 0, $2, $4, 1, now())
                """) { Parameters = { new() { Value = workers[i] }, new() { Value = email }, new() { Value = hash }, new() { Value = company } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ($1, $2)""") { Parameters = { new() { Value = workers[i] }, new() { Value = Roles.Ids[Roles.Worker] } } });
            foreach (var (prefix, code) in new[] { ("API", codes[i]), ("PG", $"PG{i:000}ZZ") })
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO "Equipment" ("Id", "CompanyId", "Name", "InventoryNumber", "ActivationCode", "Status", "CreatedAt", "UpdatedAt", "Version")
                    VALUES (gen_random_uuid(), $1, $2, $2, $3, 0, now(), now(), gen_random_uuid())
                    """) { Parameters = { new() { Value = company }, new() { Value = $"{prefix}-{i}" }, new() { Value = code } } });
            }
        }

        await batch.ExecuteNonQueryAsync();
        return (company, workers, codes);
    }

    /// <summary>Builds Cierto.Web in Release and starts the built app itself, so its CPU time can be read.</summary>
    private static Process StartApp(string connectionString)
    {
        var project = Path.Combine(RepoRoot(), "Cierto.Web");
        using (var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "-v", "quiet", "-nologo", project]) { RedirectStandardOutput = true })!)
        {
            _ = build.StandardOutput.ReadToEndAsync();
            build.WaitForExit();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException("Building Cierto.Web failed.");
            }
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(project, "bin", "Release", "net10.0", "Cierto.Web.dll")])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Cierto__DataProtection__AllowUnencryptedKeys"] = "true"; // a throwaway database
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:5199";
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Cierto__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"cierto-apibench-{Environment.ProcessId}");
        PublishedApp.LiftRequestLimits(start);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("Cierto.Web did not become ready.");
    }

    private static async Task<(double Tps, double P50, double P99)> RunApiAsync(HttpClient http, List<Guid> workers, List<string> codes, int clients, int seconds)
    {
        var tokens = new List<string>();
        for (var i = 0; i < clients; i++)
        {
            var login = await http.PostAsJsonAsync("api/v1/auth/login", new { email = $"w{i}@apibench.test", password = Password });
            login.EnsureSuccessStatusCode();
            tokens.Add(JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!);
        }

        var latencies = new List<double>[clients];
        var stopAt = DateTime.UtcNow.AddSeconds(seconds);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            while (DateTime.UtcNow < stopAt)
            {
                var watch = Stopwatch.StartNew();
                using var activate = new HttpRequestMessage(HttpMethod.Post, "api/v1/activations") { Content = JsonContent.Create(new { activationCode = codes[c] }) };
                activate.Headers.Authorization = new("Bearer", tokens[c]);
                using var activated = await http.SendAsync(activate);
                activated.EnsureSuccessStatusCode();
                var session = JsonDocument.Parse(await activated.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetGuid();
                latencies[c].Add(watch.Elapsed.TotalMilliseconds);

                watch.Restart();
                using var end = new HttpRequestMessage(HttpMethod.Post, $"api/v1/activations/{session}/end");
                end.Headers.Authorization = new("Bearer", tokens[c]);
                using var ended = await http.SendAsync(end);
                ended.EnsureSuccessStatusCode();
                latencies[c].Add(watch.Elapsed.TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return (all.Count / started.Elapsed.TotalSeconds, Stats.Percentile(all, 0.5), Stats.Percentile(all, 0.99));
    }

    private static async Task<(double Tps, double P50, double P99)> RunPgbenchAsync(string server, string database, Guid company, Guid worker, int clients, int seconds)
    {
        var folder = Directory.CreateTempSubdirectory("cierto-pgbench-");
        var script = Path.Combine(folder.FullName, "activate-end.sql");
        await File.WriteAllTextAsync(script, $"""
            BEGIN;
            INSERT INTO "UsageSessions" ("Id", "CompanyId", "EquipmentId", "WorkerId", "StartedAt")
              SELECT gen_random_uuid(), e."CompanyId", e."Id", '{worker}', now() FROM "Equipment" e
              WHERE e."CompanyId" = '{company}' AND e."ActivationCode" = 'PG' || lpad(:client_id::text, 3, '0') || 'ZZ';
            INSERT INTO "AuditEntries" ("At", "ActorId", "CompanyId", "Action", "TargetType", "TargetId") VALUES (now(), '{worker}', '{company}', 'usage.activated', 'Equipment', :client_id::text);
            COMMIT;
            BEGIN;
            UPDATE "UsageSessions" SET "EndedAt" = now(), "EndKind" = 0, "EndedById" = '{worker}'
              WHERE "EquipmentId" = (SELECT "Id" FROM "Equipment" WHERE "CompanyId" = '{company}' AND "ActivationCode" = 'PG' || lpad(:client_id::text, 3, '0') || 'ZZ') AND "EndedAt" IS NULL;
            INSERT INTO "AuditEntries" ("At", "ActorId", "CompanyId", "Action", "TargetType", "TargetId") VALUES (now(), '{worker}', '{company}', 'usage.deactivated', 'UsageSession', :client_id::text);
            COMMIT;

            """);
        var builder = new NpgsqlConnectionStringBuilder(server);
        var start = new ProcessStartInfo("pgbench", ["-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture), "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, "-l", "--log-prefix", Path.Combine(folder.FullName, "log"), database])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = builder.Password;
        start.Environment["PGSSLMODE"] = "disable";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var tpsLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps =", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"pgbench failed: {output} {await process.StandardError.ReadToEndAsync()}");
        var scriptsPerSecond = double.Parse(tpsLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);

        // Each logged line is one script (two transactions); its latency (µs) is split evenly.
        var latencies = Directory.GetFiles(folder.FullName, "log*")
            .SelectMany(File.ReadLines)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 2)
            .Select(p => double.Parse(p[2], CultureInfo.InvariantCulture) / 1000.0 / 2)
            .Order()
            .ToList();
        folder.Delete(recursive: true);
        return (scriptsPerSecond * 2, Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99));
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cierto.Blazor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run from the repository.");
    }
}
