using Cierto.Domain.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.Property(o => o.Kind).HasMaxLength(100);
        builder.Property(o => o.LastError).HasMaxLength(2000);
        builder.HasIndex(o => new { o.Status, o.NextAttemptAt });
    }
}
