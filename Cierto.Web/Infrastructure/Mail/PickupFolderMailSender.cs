using MimeKit;

namespace Cierto.Web.Infrastructure.Mail;

/// <summary>Embedded mode: each message becomes an .eml file in a pickup folder, readable by any mail client.</summary>
internal sealed partial class PickupFolderMailSender(string folder, ILogger<PickupFolderMailSender> logger) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path, cancellationToken);
        LogWritten(logger, message.Subject ?? string.Empty, message.To, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail \"{Subject}\" to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, string subject, InternetAddressList to, string path);
}
