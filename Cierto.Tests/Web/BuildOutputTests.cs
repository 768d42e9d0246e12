using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>
/// A build (what <c>dotnet run</c> starts), not a publish, run in Production: its stylesheets and
/// scripts live where they were built (the project's wwwroot, MudBlazor's package), and it must
/// serve them there too. It used to answer 500 for each, leaving pages unstyled and inert.
/// </summary>
public sealed partial class BuildOutputTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_build_run_in_production_serves_every_stylesheet_and_script_its_pages_name()
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(WebBuild.Directory(), "Cierto.Web.dll")])
        {
            WorkingDirectory = Path.Combine(RepositoryRoot.FullPath, "Cierto.Web"), // as `dotnet run --project Cierto.Web` does
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Cierto__DataProtection__AllowUnencryptedKeys"] = "true"; // a throwaway database
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Postgres"] = database.ConnectionString;
        start.Environment["Cierto__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"cierto-build-{Guid.NewGuid():N}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitReadyAsync(http, process);

            var page = await http.GetStringAsync(new Uri("Account/Login", UriKind.Relative));
            var assets = Asset().Matches(page).Select(m => m.Groups["path"].Value).Distinct().ToList();
            Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/", StringComparison.Ordinal));
            Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web", StringComparison.Ordinal));
            foreach (var asset in assets)
            {
                using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)response.StatusCode}");
                Assert.Matches("^text/(css|javascript)", response.Content.Headers.ContentType?.MediaType ?? string.Empty);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            _ = await output + await errors;
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process process)
    {
        for (var i = 0; i < 120 && !process.HasExited; i++)
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
                // not listening yet
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("Cierto.Web did not become ready.");
    }

    [GeneratedRegex("""(?:href|src)="(?<path>[^"]+\.(?:css|js))"(?!\w)""")]
    private static partial Regex Asset();
}
