using Cierto.Tests.Browser;
using Cierto.Tests.Infrastructure;
using Npgsql;

namespace Cierto.Tests.Faults;

/// <summary>
/// The app (on a real Kestrel port, with Chromium) on a PostgreSQL cluster of its own, reached
/// through a <see cref="TcpProxy"/>: a test may stop and start the server, or cut every
/// connection mid-request, without disturbing the rest of the suite.
/// </summary>
public sealed class OutageHost : BrowserHost
{
    private readonly PostgresCluster cluster;

    public OutageHost()
        : this(new PostgresCluster())
    {
    }

    private OutageHost(PostgresCluster cluster)
        : base(PostgresDatabase.OnServer(() => Task.FromResult(cluster.ServerConnectionString)))
    {
        this.cluster = cluster;
    }

    public PostgresCluster Cluster => cluster;

    public TcpProxy Proxy { get; private set; } = default!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.ExtraSettings)
            {
                // The app reaches PostgreSQL only through the proxy; a connection attempt gives up
                // after 3 s, as a tight production setting would, so an outage is answered quickly.
                ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = Proxy.Port, Timeout = 3, CommandTimeout = 15 }.ToString(),
            };

            // API clients here activate and release as fast as they can; the limits are not under test.
            foreach (var action in new[] { "SignIn", "Activation", "Refresh" })
            {
                settings[$"Cierto:Limits:{action}:PerClient"] = "1000000";
                settings[$"Cierto:Limits:{action}:PerAccount"] = "1000000";
            }

            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        await cluster.StartAsync();
        Proxy = new TcpProxy(cluster.Port);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await cluster.EnsureRunningAsync();
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
