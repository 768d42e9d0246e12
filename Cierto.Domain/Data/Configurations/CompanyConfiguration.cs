using Cierto.Domain.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("Companies");
        builder.Property(c => c.Name).HasMaxLength(Company.NameMaxLength);
        builder.Property(c => c.IdentificationNumber).HasMaxLength(Company.IdentificationNumberMaxLength);
        builder.Property(c => c.JoinCode).HasMaxLength(16);
        builder.Property(c => c.TimeZone).HasMaxLength(Common.CompanyTime.MaxLength).HasDefaultValue(Common.CompanyTime.Default);
        builder.Ignore(c => c.BookingRules);
        builder.HasIndex(c => c.IdentificationNumber).IsUnique();
        builder.HasIndex(c => c.JoinCode).IsUnique();
    }
}
