using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Data Protection keys (which sign cookies, antiforgery tokens and access tokens) are stored in
/// the database; with a certificate configured they are encrypted there, so a copy of the
/// database alone cannot forge a sign-in.
/// </summary>
public static class KeyEncryption
{
    public const string CertificatePathKey = "Cierto:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "Cierto:DataProtection:CertificatePassword";

    /// <summary>Production starts without a certificate only when this says the operator accepts unencrypted keys.</summary>
    public const string AllowUnencryptedKeysKey = "Cierto:DataProtection:AllowUnencryptedKeys";

    /// <summary>Encrypts keys at rest with the PKCS#12 certificate of <see cref="CertificatePathKey"/>; true when one is configured.</summary>
    public static bool ProtectKeysFromConfiguration(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[CertificatePathKey] is not { Length: > 0 } path)
        {
            return false;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new StartupConfigurationException(CertificatePathKey, $"could not be read as a PKCS#12 certificate with {CertificatePasswordKey} ({path}): {ex.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupConfigurationException(CertificatePathKey, $"points at a certificate without its private key ({path}); keys could not be decrypted.");
        }

        builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        return true;
    }
}

/// <summary>Whether Data Protection keys are encrypted at rest (see <see cref="KeyEncryption"/>).</summary>
public sealed record DataProtectionStatus(bool KeysEncrypted);
