using System.Globalization;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Billing;

/// <summary>A Stripe event already handled: the same event delivered again changes nothing.</summary>
public sealed class ProcessedPaymentEvent
{
    private ProcessedPaymentEvent()
    {
    }

    public ProcessedPaymentEvent(string id, string type, DateTimeOffset receivedAt)
    {
        Id = id;
        Type = type;
        ReceivedAt = receivedAt;
    }

    public string Id { get; private set; } = string.Empty;

    public string Type { get; private set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; private set; }
}
