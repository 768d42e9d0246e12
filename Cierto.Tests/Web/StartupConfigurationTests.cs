using System.Diagnostics;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>
/// Runs the built Cierto.Web as its own process with a bad setting: it must stop, with a non-zero
/// exit code and one line naming the setting, not a stack trace.
/// </summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("ConnectionStrings__Postgres", "Host=127.0.0.1;Port=1;Database=cierto;Username=x;Password=y;Timeout=2", "ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings__Postgres", "this is = not; a connection string", "ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings__Postgres", "Host=127.0.0.1;Database=postgres;Username=cierto_no_such_role;Password=wrong", "ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings__Redis", "127.0.0.1:6379,notAnOption=1", "ConnectionStrings:Redis")]
    [InlineData("Cierto__Bootstrap__RootPassword", "weak", "Cierto:Bootstrap:RootPassword")]
    [InlineData("Cierto__DataProtection__AllowUnencryptedKeys", "false", "Cierto:DataProtection:CertificatePath")]
    [InlineData("Cierto__Security__Headers__ConnectSources__0", "*", "Cierto:Security:Headers:ConnectSources")]
    [InlineData("Cierto__Security__Headers__ConnectSources__0", "https://telemetry.example.com 'unsafe-eval'", "Cierto:Security:Headers:ConnectSources")]
    [InlineData("Cierto__Observability__Prometheus__Url", "metrics-port", "Cierto:Observability:Prometheus:Url")]
    public async Task Bad_configuration_stops_start_up_with_one_line_naming_the_setting(string variable, string value, string setting)
    {
        var (exitCode, output) = await RunWebAsync(new Dictionary<string, string>
        {
            [variable] = value,
            ["Cierto__Database__ConnectRetrySeconds"] = "0",
        });

        Assert.NotEqual(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var named = lines.Where(l => l.Contains(setting, StringComparison.Ordinal)).ToList();
        Assert.Single(named);
        Assert.Contains("Cierto cannot start", named[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunWebAsync(Dictionary<string, string> environment)
    {
        var webDirectory = WebBuild.Directory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(webDirectory, "Cierto.Web.dll")])
        {
            WorkingDirectory = webDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Cierto__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"cierto-startup-{Guid.NewGuid():N}");
        start.Environment["Cierto__Bootstrap__RootEmail"] = "root@startup.test";

        // Each case breaks one setting; unencrypted keys are accepted unless the case says otherwise.
        start.Environment["Cierto__DataProtection__AllowUnencryptedKeys"] = "true";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Cierto.Web kept running with a bad setting.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
