using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using YamlDotNet.RepresentationModel;

namespace Cierto.Tests.Web;

/// <summary>
/// The production stack as the compose file describes it: no mail inbox reachable from outside,
/// TLS at nginx with HSTS and a redirect from HTTP, SMTP and certificates from configuration, and
/// cookies marked Secure behind the proxy.
/// </summary>
public sealed class DeploymentSecurityTests(DeploymentSecurityTests.BehindProxyFixture app) : IClassFixture<DeploymentSecurityTests.BehindProxyFixture>
{
    public sealed class BehindProxyFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:ForwardedHeaders"] = "true",
            ["Cierto:Cookies:SecureOnly"] = "true",
        };
    }

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.FullPath, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services().Children[new YamlScalarNode(name)];

    private static IEnumerable<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlSequenceNode)value).Children.Select(c => ((YamlScalarNode)c).Value!) : [];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    [Fact]
    public void Telemetry_goes_to_the_dashboard_published_on_loopback_only_and_metrics_never_through_nginx()
    {
        Assert.All(Sequence(Service("aspire-dashboard"), "ports"), p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
        var environment = (YamlMappingNode)Service("web1").Children[new YamlScalarNode("environment")];
        Assert.Equal("${CIERTO_OTLP_ENDPOINT:-http://aspire-dashboard:18889}", Scalar(environment, "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("${CIERTO_PROMETHEUS:-false}", Scalar(environment, "Cierto__Observability__Prometheus__Enabled"));

        var config = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "deploy", "nginx.conf.template"));
        Assert.Matches(@"location ~\* \^/metrics\(/\|\$\) \{\s*return 404;", config);
        Assert.Equal("http://+:9464", Scalar(environment, "Cierto__Observability__Prometheus__Url"));
    }

    /// <summary>Every secret the stack cannot run safely without, with a value for this test.</summary>
    private static readonly Dictionary<string, string> RequiredSecrets = new()
    {
        ["CIERTO_DB_PASSWORD"] = "db-secret-4242",
        ["CIERTO_REDIS_PASSWORD"] = "redis-secret-4242",
        ["CIERTO_OTLP_API_KEY"] = "otlp-key-4242",
    };

    [Theory]
    [InlineData("CIERTO_DB_PASSWORD")]
    [InlineData("CIERTO_REDIS_PASSWORD")]
    [InlineData("CIERTO_OTLP_API_KEY")]
    public async Task Compose_refuses_to_start_without_each_secret(string missing)
    {
        var (exitCode, output) = await ComposeConfigAsync(RequiredSecrets.Where(s => s.Key != missing).ToDictionary());

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{missing} must be set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_hands_the_secrets_to_postgres_redis_the_dashboard_and_the_app()
    {
        var (exitCode, output) = await ComposeConfigAsync(RequiredSecrets);
        Assert.True(exitCode == 0, output);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
        YamlMappingNode Environment(string service) => (YamlMappingNode)((YamlMappingNode)services.Children[new YamlScalarNode(service)]).Children[new YamlScalarNode("environment")];

        Assert.Equal("db-secret-4242", Scalar(Environment("postgres"), "POSTGRES_PASSWORD"));
        Assert.Equal("Host=postgres;Database=cierto;Username=cierto;Password=db-secret-4242", Scalar(Environment("web1"), "ConnectionStrings__Postgres"));
        var redisCommand = Sequence((YamlMappingNode)services.Children[new YamlScalarNode("redis")], "command").ToList();
        Assert.Equal(["redis-server", "--requirepass", "redis-secret-4242", "--save", "", "--appendonly", "no"], redisCommand);
        Assert.Equal("redis-secret-4242", Scalar(Environment("redis"), "REDISCLI_AUTH"));
        Assert.Equal("redis:6379,password=redis-secret-4242", Scalar(Environment("web1"), "ConnectionStrings__Redis"));
        Assert.Equal("ApiKey", Scalar(Environment("aspire-dashboard"), "DASHBOARD__OTLP__AUTHMODE"));
        Assert.Equal("otlp-key-4242", Scalar(Environment("aspire-dashboard"), "DASHBOARD__OTLP__PRIMARYAPIKEY"));
        Assert.Equal("BrowserToken", Scalar(Environment("aspire-dashboard"), "DASHBOARD__FRONTEND__AUTHMODE"));
        Assert.Equal("x-otlp-api-key=otlp-key-4242", Scalar(Environment("web1"), "OTEL_EXPORTER_OTLP_HEADERS"));
        Assert.Equal("/run/cierto/keys.pfx", Scalar(Environment("web1"), "Cierto__DataProtection__CertificatePath"));
        Assert.Contains(Sequence((YamlMappingNode)services.Children[new YamlScalarNode("web1")], "volumes"), v => v.EndsWith(":/run/cierto/keys.pfx:ro", StringComparison.Ordinal));
        Assert.Equal("https://localhost:8443", Scalar(Environment("web1"), "Cierto__PublicBaseUrl"));
        Assert.False(Environment("web1").Children.ContainsKey(new YamlScalarNode("AllowedHosts"))); // they follow the public address
    }

    /// <summary><c>docker-compose config</c> (compose v1 validates and renders the file without an engine) with only these variables.</summary>
    private static async Task<(int ExitCode, string Output)> ComposeConfigAsync(IReadOnlyDictionary<string, string> variables)
    {
        var emptyEnvFile = Path.GetTempFileName(); // a developer's own .env must not count
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("docker-compose", ["--env-file", emptyEnvFile, "-f", Path.Combine(RepositoryRoot.FullPath, "docker-compose.yml"), "config"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryRoot.FullPath,
            };
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CIERTO_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }

            foreach (var (name, value) in variables)
            {
                start.Environment[name] = value;
            }

            using var compose = System.Diagnostics.Process.Start(start)!;
            var output = compose.StandardOutput.ReadToEndAsync();
            var errors = compose.StandardError.ReadToEndAsync();
            await compose.WaitForExitAsync();
            return (compose.ExitCode, await output + await errors);
        }
        finally
        {
            File.Delete(emptyEnvFile);
        }
    }

    [Fact]
    public void Mailpit_is_only_in_the_development_profile_and_only_on_loopback()
    {
        var mailpit = Service("mailpit");

        Assert.Equal(["dev"], Sequence(mailpit, "profiles"));
        var ports = Sequence(mailpit, "ports").ToList();
        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));

        // No other service depends on it or sends to it unless the operator says so.
        foreach (var other in Services().Children.Where(c => ((YamlScalarNode)c.Key).Value != "mailpit"))
        {
            Assert.DoesNotContain("mailpit", other.Value.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_app_relays_mail_through_configured_smtp_and_trusts_only_its_proxy()
    {
        var environment = (YamlMappingNode)Service("web1").Children[new YamlScalarNode("environment")];

        Assert.Equal("${CIERTO_SMTP_HOST:-}", Scalar(environment, "Cierto__Mail__Smtp__Host"));
        Assert.Equal("${CIERTO_SMTP_PASSWORD:-}", Scalar(environment, "Cierto__Mail__Smtp__Password"));
        Assert.Equal("true", Scalar(environment, "Cierto__Cookies__SecureOnly"));
        Assert.Equal("true", Scalar(environment, "Cierto__ForwardedHeaders"));
        Assert.False(Service("web1").Children.ContainsKey(new YamlScalarNode("ports"))); // reachable through nginx only
    }

    [Fact]
    public void Nginx_terminates_tls_with_certificates_from_configuration_redirects_http_and_sends_hsts()
    {
        var nginx = Service("nginx");
        var volumes = Sequence(nginx, "volumes").ToList();
        Assert.Contains(volumes, v => v.StartsWith("${CIERTO_TLS_CERT", StringComparison.Ordinal) && v.EndsWith(":/etc/nginx/tls/cert.pem:ro", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.StartsWith("${CIERTO_TLS_KEY", StringComparison.Ordinal) && v.EndsWith(":/etc/nginx/tls/key.pem:ro", StringComparison.Ordinal));
        Assert.Contains(Sequence(nginx, "ports"), p => p.EndsWith(":443", StringComparison.Ordinal));

        var config = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "deploy", "nginx.conf.template"));
        Assert.Contains("listen 443 ssl", config, StringComparison.Ordinal);
        Assert.Contains("ssl_certificate     ${CIERTO_TLS_CERT_FILE};", config, StringComparison.Ordinal);
        var environment = (YamlMappingNode)nginx.Children[new YamlScalarNode("environment")];
        Assert.Equal("/etc/nginx/tls/cert.pem", Scalar(environment, "CIERTO_TLS_CERT_FILE"));
        Assert.Equal("/etc/nginx/tls/key.pem", Scalar(environment, "CIERTO_TLS_KEY_FILE"));
        Assert.Contains("return 301 https://", config, StringComparison.Ordinal);
        Assert.Contains("add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_the_proxy_every_cookie_is_marked_secure()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var client = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var (response, _) = await client.PostFormWithCookiesAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = AppFixture.Password,
        });

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
