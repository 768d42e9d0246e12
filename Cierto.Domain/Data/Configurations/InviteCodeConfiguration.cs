using Cierto.Domain.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class InviteCodeConfiguration : IEntityTypeConfiguration<InviteCode>
{
    public void Configure(EntityTypeBuilder<InviteCode> builder)
    {
        builder.ToTable("InviteCodes");
        builder.Property(i => i.CodeHash).HasMaxLength(64);
        builder.Property(i => i.IdentificationNumber).HasMaxLength(Company.IdentificationNumberMaxLength);
        builder.Property(i => i.SentToEmail).HasMaxLength(256);
        builder.HasIndex(i => i.CodeHash).IsUnique();
        builder.HasIndex(i => i.CreatedAt);
        builder.HasOne<Company>().WithMany().HasForeignKey(i => i.RedeemedByCompanyId).OnDelete(DeleteBehavior.SetNull);
    }
}
