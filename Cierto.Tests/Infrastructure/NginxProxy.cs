using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// Debian's nginx with the shipped <c>deploy/nginx.conf.template</c> (the variables filled in as
/// compose and scripts/cluster.sh fill them, TLS on a throwaway certificate) in front of one app
/// on a loopback port: what nginx itself does to requests and writes to its log.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly string folder;
    private readonly string configPath;

    private string thumbprint = string.Empty;

    private NginxProxy(string folder, int httpsPort)
    {
        this.folder = folder;
        configPath = Path.Combine(folder, "nginx.conf");
        BaseUrl = new Uri($"https://localhost:{httpsPort}/");
    }

    public Uri BaseUrl { get; }

    /// <summary>The access log, in the template's own format.</summary>
    public string AccessLogPath => Path.Combine(folder, "access.log");

    /// <summary>A client that trusts the throwaway certificate (that one alone) and follows no redirect.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint },
    })
    { BaseAddress = BaseUrl };

    public static async Task<NginxProxy> StartAsync(int upstreamPort)
    {
        var folder = Directory.CreateTempSubdirectory("cierto-nginx-").FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ED); // 0755: nginx's workers run as another user when started by root
            File.SetUnixFileMode(tmp, (UnixFileMode)0x1FF);
        }
        var httpsPort = LoopbackPorts.Free();
        var httpPort = LoopbackPorts.Free();
        var proxy = new NginxProxy(folder, httpsPort);

        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
            proxy.thumbprint = certificate.GetCertHashString();
            await File.WriteAllTextAsync(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), rsa.ExportPkcs8PrivateKeyPem());
        }

        var template = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.FullPath, "deploy", "nginx.conf.template"));
        var site = template
            .Replace("${CIERTO_HTTPS_PORT}", $"{httpsPort}", StringComparison.Ordinal)
            .Replace("${CIERTO_UPSTREAM_1}", $"127.0.0.1:{upstreamPort}", StringComparison.Ordinal)
            .Replace("${CIERTO_UPSTREAM_2}", $"127.0.0.1:{upstreamPort}", StringComparison.Ordinal)
            .Replace("${CIERTO_TLS_CERT_FILE}", Path.Combine(folder, "cert.pem"), StringComparison.Ordinal)
            .Replace("${CIERTO_TLS_KEY_FILE}", Path.Combine(folder, "key.pem"), StringComparison.Ordinal)
            .Replace("/var/log/nginx/access.log", proxy.AccessLogPath, StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{httpPort};", StringComparison.Ordinal)
            .Replace("listen 443 ssl", $"listen 127.0.0.1:{httpsPort} ssl", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.conf"), site);
        await File.WriteAllTextAsync(proxy.configPath, $$"""
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                client_body_temp_path {{tmp}}/body;
                proxy_temp_path {{tmp}}/proxy;
                fastcgi_temp_path {{tmp}}/fastcgi;
                uwsgi_temp_path {{tmp}}/uwsgi;
                scgi_temp_path {{tmp}}/scgi;
                include {{folder}}/site.conf;
            }
            """);

        await proxy.NginxAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", httpsPort);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The lines nginx has written so far.</summary>
    public IReadOnlyList<string> AccessLog() => File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath) : [];

    public async ValueTask DisposeAsync()
    {
        await NginxAsync("-s", "stop");
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task NginxAsync(params string[] extra)
    {
        var start = new ProcessStartInfo("nginx", ["-c", configPath, "-e", Path.Combine(folder, "error.log"), .. extra])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var nginx = Process.Start(start)!;
        var errors = nginx.StandardError.ReadToEndAsync();
        await nginx.WaitForExitAsync();
        if (nginx.ExitCode != 0)
        {
            throw new InvalidOperationException($"nginx {string.Join(' ', extra)} failed ({nginx.ExitCode}): {await errors}");
        }
    }
}
