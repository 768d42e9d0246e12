using Cierto.Domain.Billing;
using Cierto.Domain.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("Orders");
        builder.Property(o => o.Reference).HasMaxLength(Order.ReferenceMaxLength);
        builder.Property(o => o.SecretHash).HasMaxLength(64);
        builder.Property(o => o.PlanId).HasMaxLength(64);
        builder.Property(o => o.PlanName).HasMaxLength(Order.NameMaxLength);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.CompanyIdentificationNumber).HasMaxLength(Company.IdentificationNumberMaxLength);
        builder.Property(o => o.CompanyName).HasMaxLength(Company.NameMaxLength);
        builder.Property(o => o.ContactName).HasMaxLength(Order.NameMaxLength);
        builder.Property(o => o.ContactEmail).HasMaxLength(256);
        builder.Property(o => o.Language).HasMaxLength(Localization.Languages.MaxLength).HasDefaultValue(Localization.Languages.English);
        builder.Property(o => o.BillingAddress).HasMaxLength(Order.AddressMaxLength);
        builder.Property(o => o.VatId).HasMaxLength(Order.VatIdMaxLength);
        // Stored by its API name ("card", "bank_transfer"), as it always was.
        builder.Property(o => o.PaidVia).HasMaxLength(32).HasConversion(v => v == null ? null : OrderStatusNames.Method(v.Value), s => OrderStatusNames.ParseMethod(s));
        builder.Property(o => o.CheckoutRound).HasDefaultValue(0);
        builder.Property(o => o.RefundAttempt).HasDefaultValue(0);
        builder.Property(o => o.StripeSessionId).HasMaxLength(255);
        builder.Property(o => o.StripePaymentIntentId).HasMaxLength(255);
        builder.HasIndex(o => o.Number).IsUnique();
        builder.HasIndex(o => o.Reference).IsUnique();
        builder.HasIndex(o => o.StripePaymentIntentId);
        builder.HasIndex(o => o.Status);
        builder.HasOne<InviteCode>().WithMany().HasForeignKey(o => o.InviteCodeId).OnDelete(DeleteBehavior.SetNull);
    }
}
