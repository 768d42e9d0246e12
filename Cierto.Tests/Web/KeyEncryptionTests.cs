using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Tests.Web;

/// <summary>Data Protection keys encrypted at rest with a certificate from configuration.</summary>
public sealed class KeyEncryptionTests(KeyEncryptionTests.CertificateFixture app) : IClassFixture<KeyEncryptionTests.CertificateFixture>
{
    public sealed class CertificateFixture : AppFixture
    {
        public string CertificatePath { get; } = Path.Combine(Path.GetTempPath(), $"cierto-keys-{Guid.NewGuid():N}.pfx");

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Cierto:DataProtection:CertificatePath"] = CertificatePath,
            ["Cierto:DataProtection:CertificatePassword"] = "pfx-secret",
        };

        public override async Task InitializeAsync()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Cierto data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(CertificatePath, certificate.Export(X509ContentType.Pfx, "pfx-secret"));
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(CertificatePath);
        }
    }

    [Fact]
    public async Task Keys_are_stored_encrypted_and_sign_in_still_works_across_a_restart()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var browser = await app.App.SignInAsync(user.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode);

        await using (var db = app.Db())
        {
            var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            });
        }

        await app.RestartAppAsync();
        Assert.Equal(HttpStatusCode.OK, (await (await app.App.SignInAsync(user.Email!)).GetAsync(new Uri("/Account/Manage", UriKind.Relative))).StatusCode);
    }
}
