using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Tests.Api;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cierto.Tests.Faults;

/// <summary>
/// The app on a private redis-server that the tests stop: the wrong-code throttle and the request
/// limits keep counting in the instance's own memory while Redis is away (README Security, "Rate limits").
/// </summary>
public sealed class RedisOutageLimitTests(RedisOutageLimitTests.StoppableRedisFixture app) : IClassFixture<RedisOutageLimitTests.StoppableRedisFixture>
{
    private const int PerClient = 3;

    public sealed class StoppableRedisFixture : AppFixture
    {
        public RedisProcess Redis { get; } = new();

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["Cierto:ForwardedHeaders"] = "true",
            ["Cierto:Limits:SignIn:PerClient"] = PerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public override async Task InitializeAsync()
        {
            await Redis.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Redis.DisposeAsync();
        }

        /// <summary>Runs <paramref name="test"/> with Redis stopped, and starts it again afterwards.</summary>
        public async Task WithoutRedisAsync(Func<Task> test)
        {
            ArgumentNullException.ThrowIfNull(test);
            await Redis.StopAsync();
            try
            {
                await test();
            }
            finally
            {
                await Redis.StartAsync();
            }
        }
    }

    private static int addresses;

    private HttpClient From(string address)
    {
        var client = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static string NewAddress() => $"203.0.113.{Interlocked.Increment(ref addresses)}";

    [Fact]
    public async Task With_redis_stopped_the_sixth_wrong_activation_code_is_throttled()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Core drill", null, null, null)));
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var phone = await app.SignedInClientAsync(worker.Email!);

        await app.WithoutRedisAsync(async () =>
        {
            for (var attempt = 1; attempt <= Cierto.Domain.Usage.ActivationThrottle.MaxFailures; attempt++)
            {
                await ApiCalls.AssertProblemAsync(await phone.PostAsJsonAsync("/api/v1/activations", new { activationCode = "ZZZZZZZ" }), HttpStatusCode.UnprocessableEntity, "invalid_activation_code");
            }

            var sixth = await phone.PostAsJsonAsync("/api/v1/activations", new { activationCode = "ZZZZZZZ" });
            await ApiCalls.AssertProblemAsync(sixth, HttpStatusCode.TooManyRequests, "throttled");
            Assert.InRange(int.Parse(sixth.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 14 * 60, 15 * 60);
        });
    }

    [Fact]
    public async Task With_redis_stopped_the_sign_in_form_and_api_limits_count_in_process()
    {
        await app.WithoutRedisAsync(async () =>
        {
            var browser = From(NewAddress());
            for (var attempt = 1; attempt <= PerClient; attempt++)
            {
                var answer = await browser.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = AppFixture.Email("x"), ["Input.Password"] = "Wrong-password-1" });
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Contains("Sign-in failed. Check your email and password.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            var limited = await browser.PostFormAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = AppFixture.Email("x"), ["Input.Password"] = "Wrong-password-1" });
            Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
            Assert.Contains(Cierto.Web.Infrastructure.Limits.RequestLimits.Message(TimeSpan.FromSeconds(59)), await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var phone = From(NewAddress());
            for (var attempt = 1; attempt <= PerClient; attempt++)
            {
                await ApiCalls.AssertProblemAsync(await phone.PostAsJsonAsync("/api/v1/auth/login", new { email = AppFixture.Email("x"), password = "Wrong-password-1" }), HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            await ApiCalls.AssertProblemAsync(await phone.PostAsJsonAsync("/api/v1/auth/login", new { email = AppFixture.Email("x"), password = "Wrong-password-1" }), HttpStatusCode.TooManyRequests, "throttled");
        });
    }
}
