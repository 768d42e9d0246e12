using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>Production as an operator starts it: only the Root from the bootstrap settings, no demo data, nobody else.</summary>
    [Fact]
    public async Task In_production_with_only_the_bootstrap_settings_the_root_is_the_only_account()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cierto:Demo:Enabled"] = null, // the environment's default, not the tests' "false"
            ["Cierto:Bootstrap:RootEmail"] = "root@production.test",
            ["Cierto:Bootstrap:RootPassword"] = "Production-pass-2026",
            ["Cierto:DataProtection:AllowUnencryptedKeys"] = "true", // a throwaway database
        };
        var own = new PostgresDatabase(); // nobody else's accounts in it
        await own.InitializeAsync();
        try
        {
            await using var app = new CiertoAppFactory(own, settings, environment: "Production");
            _ = app.Server;
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Cierto.Domain.Data.CiertoDbContext>();

            Assert.Equal(["root@production.test"], await db.Users.Select(u => u.Email).ToListAsync());
            Assert.Empty(await db.Companies.ToListAsync());
            Assert.Empty(await db.Equipment.ToListAsync());
        }
        finally
        {
            await own.DisposeAsync();
        }
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
