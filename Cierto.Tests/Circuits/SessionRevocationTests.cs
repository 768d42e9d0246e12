using System.Net;
using System.Threading.Channels;
using Cierto.Circuits;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Account;

namespace Cierto.Tests.Circuits;

/// <summary>
/// Two instances on one PostgreSQL and one Redis, whose periodic re-check of open pages is an hour
/// away: anything an open page does about a revoked session within seconds comes from the event.
/// </summary>
public sealed class TwoInstanceCircuitHost : CircuitHostBase
{
    private readonly int portB = LoopbackPorts.Free();

    public Uri BaseUrlB => new($"http://127.0.0.1:{portB}/");

    public CiertoAppFactory InstanceB { get; private set; } = default!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        [IdentityRevalidatingAuthenticationStateProvider.IntervalKey] = "3600",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        InstanceB = new CiertoAppFactory(Database, new Dictionary<string, string?>(AppSettings) { ["Cierto:Redis:Prefix"] = App.RedisPrefix });
        InstanceB.UseKestrel(portB);
        InstanceB.StartServer();
    }

    public override async Task DisposeAsync()
    {
        await InstanceB.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class SessionRevocationTests(TwoInstanceCircuitHost host) : IClassFixture<TwoInstanceCircuitHost>
{
    [Fact]
    public async Task Signing_out_on_instance_a_sends_the_sessions_open_page_on_instance_b_to_sign_in_within_seconds()
    {
        var (companyId, _, _) = await host.CreateCompanyAsync();
        var (worker, _) = await host.CreateUserAsync(Roles.Worker, companyId);
        var cookie = await host.SignInCookieAsync(worker.Email!);
        var navigations = Channel.CreateUnbounded<string>();
        await using var page = await CircuitClient.OpenAsync(host.Handler, new Uri(host.BaseUrlB, "my-equipment"), cookie, new CircuitClientOptions
        {
            AnswerInterop = (identifier, args) =>
            {
                if (identifier.Contains("navigateTo", StringComparison.OrdinalIgnoreCase))
                {
                    navigations.Writer.TryWrite(args ?? string.Empty);
                }

                return null;
            },
        });
        Assert.Null(page.Error);

        await SignOutAsync(cookie);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var target = await navigations.Reader.ReadAsync(wait.Token);
        Assert.Contains("Account/Login?returnUrl=my-equipment", target, StringComparison.Ordinal);
    }

    /// <summary>The app bar's sign-out button on instance A: the page's antiforgery token and cookie, then the post.</summary>
    private async Task SignOutAsync(string cookie)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/my-equipment");
        get.Headers.Add("Cookie", cookie);
        var page = await host.Http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = BrowserlessSignIn.AntiforgeryTokenOf(await page.Content.ReadAsStringAsync()),
                ["ReturnUrl"] = string.Empty,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery.Prepend(cookie)));
        var signedOut = await host.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }
}
