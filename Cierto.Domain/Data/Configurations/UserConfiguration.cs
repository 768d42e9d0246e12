using Cierto.Domain.Companies;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<CiertoUser>
{
    public void Configure(EntityTypeBuilder<CiertoUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(CiertoUser.DisplayNameMaxLength);
        builder.Property(u => u.Language).HasMaxLength(Localization.Languages.MaxLength);
        builder.HasOne<Company>().WithMany().HasForeignKey(u => u.CompanyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => new { u.CompanyId, u.Status });
        builder.Property(u => u.CalendarFeedHash).HasMaxLength(64);
        builder.HasIndex(u => u.CalendarFeedHash).IsUnique().HasFilter("\"CalendarFeedHash\" IS NOT NULL");

        // Identity checks uniqueness in C# only; the database settles concurrent sign-ups.
        builder.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex").IsUnique();
    }
}
