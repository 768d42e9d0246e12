using System.Collections.Concurrent;
using System.Data.Common;
using Cierto.Circuits;
using Cierto.Domain.Adapters.Postgres;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Circuits;

/// <summary>The app with every SQL statement its contexts send counted (DbCommandInterceptor on the real registration).</summary>
public sealed class CountingCircuitHost : CircuitHostBase
{
    public StatementCounter Statements { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureDbContext<PostgresCiertoDbContext>(o => o.AddInterceptors(Statements));
}

public sealed class StatementCounter : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> commands = new();

    public IReadOnlyList<string> Since(int mark) => commands.Skip(mark).ToList();

    public int Mark => commands.Count;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        commands.Enqueue(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        commands.Enqueue(command.CommandText);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        commands.Enqueue(command.CommandText);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }
}

/// <summary>What one event costs the database does not depend on how many dashboards watch it.</summary>
public sealed class DashboardScaleTests(CountingCircuitHost host) : IClassFixture<CountingCircuitHost>
{
    [Fact]
    public async Task An_activation_costs_the_same_statements_with_one_and_with_fifty_dashboards_open()
    {
        var (companyId, _, admin) = await host.CreateCompanyAsync();
        var (adminUser, _) = await host.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var (workerUser, worker) = await host.CreateUserAsync(Roles.Worker, companyId);
        var first = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Scale drill", null, null, null)));
        var second = await host.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Scale saw", null, null, null)));
        var cookie = await host.SignInCookieAsync(adminUser.Email!);

        var withOne = await StatementsPerActivationAsync(1, first);
        var withFifty = await StatementsPerActivationAsync(50, second);

        Assert.Equal(withOne.Count, withFifty.Count);
        Assert.Equal(withOne, withFifty);

        async Task<List<string>> StatementsPerActivationAsync(int dashboards, EquipmentRow item)
        {
            var options = new CircuitClientOptions { InspectBatches = true, ReadyWhenRendered = "count-in-use" };
            var clients = await Task.WhenAll(Enumerable.Range(0, dashboards).Select(_ => CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrl, "dashboard"), cookie, options)));
            try
            {
                Assert.Equal(dashboards, host.App.Services.GetRequiredService<DashboardFeed>().Viewers);
                var seen = clients.Select(c => c.WaitForBatchAsync(b => b.Contains(item.Name) && b.Contains(workerUser.DisplayName), TimeSpan.FromSeconds(20))).ToList();
                var mark = host.Statements.Mark;
                Assert.True((await host.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).Succeeded);
                await Task.WhenAll(seen);
                await Task.Delay(300); // anything a dashboard would still read after rendering
                return host.Statements.Since(mark).ToList();
            }
            finally
            {
                foreach (var client in clients)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }
}
