using MimeKit;

namespace Cierto.Web.Infrastructure.Mail;

/// <summary>Hands a finished message to the outside world. Only the outbox dispatcher calls it.</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
