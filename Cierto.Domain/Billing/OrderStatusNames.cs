using System.Globalization;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Billing;

public static class OrderStatusNames
{
    /// <summary>The API's names (snake_case, stable).</summary>
    public static string Code(OrderStatus status) => status switch
    {
        OrderStatus.AwaitingPayment => "awaiting_payment",
        OrderStatus.Paid => "paid",
        OrderStatus.CodeIssued => "code_issued",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Refunded => "refunded",
        OrderStatus.Expired => "expired",
        OrderStatus.PaidAfterCancel => "paid_after_cancel",
        OrderStatus.RefundPending => "refund_pending",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static OrderStatus? Parse(string? code) =>
        Enum.GetValues<OrderStatus>().Cast<OrderStatus?>().FirstOrDefault(s => Code(s!.Value) == code?.Trim().ToLowerInvariant());

    /// <summary>For people, in their language.</summary>
    public static string Describe(OrderStatus status) => status switch
    {
        OrderStatus.AwaitingPayment => Texts.Get("awaiting payment (status)"),
        OrderStatus.Paid => Texts.Get("paid"),
        OrderStatus.CodeIssued => Texts.Get("paid, code sent"),
        OrderStatus.Cancelled => Texts.Get("cancelled"),
        OrderStatus.Refunded => Texts.Get("refunded"),
        OrderStatus.Expired => Texts.Get("expired"),
        OrderStatus.PaidAfterCancel => Texts.Get("paid after cancel, to refund"),
        OrderStatus.RefundPending => Texts.Get("refund pending"),
        _ => status.ToString(),
    };

    public static string Method(PaymentMethod method) => method == PaymentMethod.Card ? "card" : "bank_transfer";

    /// <summary>Every status's API name, for messages that list them.</summary>
    public static string AllCodes => string.Join(", ", Enum.GetValues<OrderStatus>().Select(Code));

    public static PaymentMethod? ParseMethod(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "card" => PaymentMethod.Card,
        "bank_transfer" => PaymentMethod.BankTransfer,
        _ => null,
    };
}
