using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Cierto.Web.Infrastructure.Mail;

/// <summary>SMTP settings (<c>Cierto:Mail:Smtp:*</c>); the password comes from configuration only.</summary>
public sealed class SmtpSettings
{
    public const string Section = "Cierto:Mail:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Sends through an SMTP server with MailKit; one connection per message keeps failures simple to retry.</summary>
internal sealed class SmtpMailSender(SmtpSettings settings) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException($"{SmtpSettings.Section}:Host is not set."), settings.Port, settings.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
