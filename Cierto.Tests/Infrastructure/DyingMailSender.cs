using Cierto.Web.Infrastructure.Mail;
using MimeKit;

namespace Cierto.Tests.Infrastructure;

/// <summary>The real sender; after the given number of messages it "kills" the process right after a send, before anything else runs.</summary>
internal sealed class DyingMailSender(IMailSender inner, int dieAfter) : IMailSender
{
    private int sent;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await inner.SendAsync(message, cancellationToken);
        if (Interlocked.Increment(ref sent) == dieAfter)
        {
            throw new OperationCanceledException("The process died after this send.");
        }
    }
}
