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
        Assert.Matches(@"location = /metrics \{\s*return 404;", config);
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
