using Cierto.Tests.Infrastructure;

namespace Cierto.Tests.Circuits;

/// <summary>
/// The real app on a real Kestrel port (PostgreSQL, Redis) for the browserless circuit client:
/// its circuits run over a real WebSocket, exactly as the load scenarios in bench/ drive them.
/// </summary>
public class CircuitHostBase : AppFixture
{
    private readonly int port = LoopbackPorts.Free();

    public Uri BaseUrl => new($"http://127.0.0.1:{port}/");

    /// <summary>One connection pool for every circuit of a test; cookies travel as headers.</summary>
    public SocketsHttpHandler Handler { get; } = new() { UseCookies = false, AllowAutoRedirect = false };

    public HttpClient Http { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Http = new HttpClient(Handler, disposeHandler: false) { BaseAddress = BaseUrl };
    }

    public override async Task DisposeAsync()
    {
        Http?.Dispose();
        Handler.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Signs in through the login form and returns the Cookie header of the session.</summary>
    public async Task<string> SignInCookieAsync(string email)
    {
        var (response, cookies) = await Http.PostFormWithCookiesAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return string.Join("; ", cookies.Where(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)));
    }

    protected override void Launch(CiertoAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseKestrel(port);
        app.StartServer();
    }
}

public sealed class CircuitHost : CircuitHostBase;
