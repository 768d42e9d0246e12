using Cierto.Web;
using Cierto.Web.Api;
using Cierto.Web.Endpoints;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Billing;
using Cierto.Web.Infrastructure.Identity;
using Cierto.Web.Infrastructure.Security;

try
{
    var builder = WebApplication.CreateBuilder(args);

    // A build (`dotnet run`, not a publish) serves its stylesheets and scripts from where they were
    // built, in every environment: only Development turns this on by itself, so a Release build run
    // in Production answered 500 for each of them. A publish has no such manifest: a no-op there.
    builder.WebHost.UseStaticWebAssets();
    builder.AddCiertoWeb(); // storage, domain, mail, outbox, identity, pages, languages, health, API, billing

    var app = builder.Build();
    app.UseSecurityHeaders(); // first: every answer, error pages and static files included, carries them
    app.UseReverseProxy();
    if (app.Environment.IsDevelopment())
    {
        app.UseMigrationsEndPoint();
    }
    else
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseHsts();
    }

    // First, so every answer (API problems and error pages included) is in the reader's language.
    app.UseRequestLocalization();
    app.UsePageStatusPages();
    app.UseApiBodyLimit();
    app.UseCleanTextInput();
    app.UseAuthentication();
    app.UseTwoFactorSetUp();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapStaticAssets();
    app.MapCiertoHealth();
    app.MapCiertoPages();
    app.MapEquipmentExports();
    app.MapCalendarFeed();
    app.MapStripeWebhook();
    app.MapCiertoApi();
    await app.RunAsync();
}
catch (StartupConfigurationException ex)
{
    // A setting is wrong: say which one, once, without a stack trace.
    await Console.Error.WriteLineAsync($"crit: Cierto cannot start: {ex.Message}");
    Environment.ExitCode = 1;
}

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
