using System.Net.Sockets;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Brings the database up to date before anything else starts: applies the provider's
/// migrations, creates the bootstraps Root from configuration and, in Development,
/// seeds the demo company. Runs in <see cref="StartingAsync"/> so the server never listens
/// on top of a database it cannot use.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopeFactory,
    HostingMode mode,
    IConfiguration configuration,
    IHostEnvironment environment,
    DataProtectionStatus keys,
    ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    public const string ConnectRetryKey = "Cierto:Database:ConnectRetrySeconds";
    public const string RootEmailKey = "Cierto:Bootstrap:RootEmail";
    public const string RootPasswordKey = "Cierto:Bootstrap:RootPassword";
    public const string DemoKey = "Cierto:Demo:Enabled";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        if (!keys.KeysEncrypted && !environment.IsDevelopment())
        {
            LogKeysNotEncrypted(logger, KeyEncryption.CertificatePathKey);
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await BootstrapRootAsync(services.GetRequiredService<UserManager<CiertoUser>>());

        if (configuration.GetValue(DemoKey, environment.IsDevelopment()))
        {
            await services.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (!mode.IsEmbedded)
        {
            await WaitForPostgresAsync(cancellationToken);
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, mode.Database.Provider);
    }

    /// <summary>
    /// Opens a plain connection first (EF would log every failed attempt as an error), so that
    /// a server still starting is waited for and a wrong address or password is reported once.
    /// </summary>
    private async Task WaitForPostgresAsync(CancellationToken cancellationToken)
    {
        var retryFor = TimeSpan.FromSeconds(configuration.GetValue(ConnectRetryKey, 15));
        var giveUpAt = DateTime.UtcNow + retryFor;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(mode.Database.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                return; // the server answers; the migration creates the database
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                throw new StartupConfigurationException(HostingMode.PostgresKey, $"was refused by the server ({Describe()}): {ex.MessageText}");
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                if (DateTime.UtcNow >= giveUpAt)
                {
                    throw new StartupConfigurationException(HostingMode.PostgresKey, $"points at a database that cannot be reached ({Describe()}): {Innermost(ex).Message}");
                }

                LogWaitingForDatabase(logger, Describe());
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private string Describe()
    {
        if (mode.IsEmbedded)
        {
            return mode.DataDirectory;
        }

        var builder = new NpgsqlConnectionStringBuilder(mode.Database.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or TimeoutException || Innermost(ex) is SocketException or TimeoutException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private async Task BootstrapRootAsync(UserManager<CiertoUser> users)
    {
        var email = configuration[RootEmailKey];
        var password = configuration[RootPasswordKey];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(password))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            throw new StartupConfigurationException(RootEmailKey, $"and {RootPasswordKey} must be set together.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var root = new CiertoUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Root",
            Status = UserStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var created = await users.CreateAsync(root, password);
        if (!created.Succeeded)
        {
            var setting = created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? RootPasswordKey : RootEmailKey;
            throw new StartupConfigurationException(setting, $"was refused: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRoleAsync(root, Roles.Root);
        LogRootCreated(logger, email);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ({Provider}) is up to date.")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the database at {Target}...")]
    private static partial void LogWaitingForDatabase(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data Protection keys are stored unencrypted in the database: set {Setting} to a PKCS#12 certificate to encrypt them.")]
    private static partial void LogKeysNotEncrypted(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the Root account {Email} from configuration.")]
    private static partial void LogRootCreated(ILogger logger, string email);
}
