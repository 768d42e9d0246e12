using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> builder)
    {
        builder.ToTable("SignInSessions");
        builder.Property(s => s.Device).HasMaxLength(SignInSession.DeviceMaxLength);
        builder.Property(s => s.Address).HasMaxLength(SignInSession.AddressMaxLength);
        builder.Property(s => s.RevokedReason).HasMaxLength(50);
        builder.HasOne<CiertoUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.UserId, s.RevokedAt });
    }
}
