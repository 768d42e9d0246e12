using System.Globalization;

namespace Cierto.Domain.Billing;

/// <summary>What Cierto sells and who sells it: <c>Cierto:Billing</c> (plans, seller and bank details for invoices).</summary>
public sealed class BillingSettings
{
    public const string Section = "Cierto:Billing";

    public List<Plan> Plans { get; set; } = [];

    public SellerDetails Seller { get; set; } = new();

    /// <summary>How long a purchased invite code stays valid.</summary>
    public int InviteValidDays { get; set; } = 30;

    /// <summary>At most this many orders (each mails its buyer) in any 24 hours, site-wide; then ordering pauses until the oldest is a day old.</summary>
    public int DailyOrderLimit { get; set; } = 200;

    public Plan? Find(string? id) => Plans.FirstOrDefault(p => string.Equals(p.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>A plan on the pricing page. The price is what one order costs (one billing period).</summary>
public sealed class Plan
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    /// <summary>The description in other languages, by language code ("ru"); <see cref="Description"/> otherwise.</summary>
    public Dictionary<string, string> Descriptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The description in the reader's language.</summary>
    public string? LocalDescription => Descriptions.TryGetValue(Localization.Languages.Of(CultureInfo.CurrentUICulture), out var local) ? local : Description;

    public decimal Price { get; set; }

    /// <summary>ISO 4217, e.g. EUR.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>"month" or "year".</summary>
    public string Period { get; set; } = "month";

    public int? MaxItems { get; set; }

    public int? MaxWorkers { get; set; }

    /// <summary>The price in the currency's minor unit (cents), as payment providers and the database keep it.</summary>
    public long AmountMinor => Money.ToMinor(Price, Currency);
}

/// <summary>Our details on invoices, and where a bank transfer goes.</summary>
public sealed class SellerDetails
{
    public string Name { get; set; } = "Cierto";

    public string? Address { get; set; }

    public string? VatId { get; set; }

    public string? Email { get; set; }

    public string? BankName { get; set; }

    public string? Iban { get; set; }

    public string? Bic { get; set; }

    public int PaymentTermsDays { get; set; } = 14;

    /// <summary>"IBAN … (BIC …), Bank": where a transfer goes, or null when not configured.</summary>
    public string? BankAccount() => string.IsNullOrWhiteSpace(Iban)
        ? null
        : $"IBAN {Iban}{(string.IsNullOrWhiteSpace(Bic) ? string.Empty : $" (BIC {Bic})")}{(string.IsNullOrWhiteSpace(BankName) ? string.Empty : $", {BankName}")}";
}
