using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Web;

public sealed class BootstrapTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Root_is_created_from_configuration_on_first_start_and_only_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cierto:Bootstrap:RootEmail"] = "root@bootstrap.test",
            ["Cierto:Bootstrap:RootPassword"] = "Bootstrap-pass-2026",
        };
        await using (var first = new CiertoAppFactory(database, settings))
        {
            _ = first.Server;
        }

        await using var second = new CiertoAppFactory(database, settings);
        await using var scope = second.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        var root = await users.FindByEmailAsync("root@bootstrap.test");

        Assert.NotNull(root);
        Assert.True(await users.IsInRoleAsync(root, Roles.Root));
        Assert.True(await users.CheckPasswordAsync(root, "Bootstrap-pass-2026"));
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Root));
    }

    [Fact]
    public async Task Without_bootstrap_settings_outside_development_no_account_exists()
    {
        await using var app = new CiertoAppFactory(database);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();

        Assert.Empty(await users.GetUsersInRoleAsync(Roles.Support));
        Assert.Null(await users.FindByEmailAsync("root@cierto.test"));
    }
}
