using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>Signing out in one tab ends the session in the browser's other tabs, on this instance and on another one.</summary>
public sealed class SignOutJourneyTests(BrowserHost host) : BrowserTest(host)
{
    [Fact]
    public async Task Signing_out_in_one_tab_sends_the_other_tabs_on_both_instances_to_sign_in() => await JourneyAsync(async () =>
    {
        // A second instance on the same database and Redis; cookies belong to the host, not the port, so its tab shares the session.
        var portB = LoopbackPorts.Free();
        await using var instanceB = new CiertoAppFactory(Host.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = Host.App.RedisPrefix });
        instanceB.UseKestrel(portB);
        instanceB.StartServer();

        var (companyId, _, _, _) = await CompanyAsync();
        var (email, _, _) = await UserAsync(Roles.Worker, companyId);
        var first = await OpenAsync();
        await SignInAsync(first, email, Cierto.Tests.Infrastructure.AppFixture.Password);

        var second = await first.Context.NewPageAsync();
        await GotoAsync(second, "history");
        var third = await first.Context.NewPageAsync();
        await GotoAsync(third, $"http://127.0.0.1:{portB}/my-equipment");
        await Expect(third.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(first.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);

        // Neither tab is touched: each page leaves by itself, within the page's default wait.
        await second.WaitForURLAsync(url => url.Contains("/Account/Login?returnUrl=history", StringComparison.Ordinal));
        await third.WaitForURLAsync(url => url.Contains($"127.0.0.1:{portB}/Account/Login?returnUrl=my-equipment", StringComparison.Ordinal));
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    });
}
