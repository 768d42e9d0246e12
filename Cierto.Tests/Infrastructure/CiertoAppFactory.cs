using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// The real Cierto app (Program) in production mode on the class's PostgreSQL database and the
/// shared Redis, with settings a test may add to. Each factory gets its own Redis key prefix.
/// </summary>
public class CiertoAppFactory(PostgresDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string environment = "Testing") : WebApplicationFactory<Program>
{
    public string RedisPrefix { get; } = $"cierto-test-{Guid.NewGuid():N}:";

    /// <summary>Each app instance keeps its files (mail pickup, keys) apart from the others'.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cierto-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var redis = TestServers.RedisAsync().GetAwaiter().GetResult();
        builder.UseEnvironment(environment);

        // Outside Development the host does not look for static web assets by itself; a browser
        // needs MudBlazor's CSS and JS and blazor.web.js from the build output.
        builder.UseStaticWebAssets();
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = redis,
            ["Cierto:Redis:Prefix"] = RedisPrefix,
            ["Cierto:Demo:Enabled"] = "false",
            ["Cierto:DataDirectory"] = DataDirectory,

            // Most tests sign Root and Support in with a password alone; TwoFactorRequirementTests turns the rule on.
            ["Cierto:Security:TwoFactorRequiredRoles"] = string.Empty,
        };
        // A null value takes the tests' default away, so the app's own default applies.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }

        // UseSetting reaches WebApplicationBuilder.Configuration before Program reads it.
        foreach (var (key, value) in values)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
