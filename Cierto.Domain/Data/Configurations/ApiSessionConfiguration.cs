using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class ApiSessionConfiguration : IEntityTypeConfiguration<ApiSession>
{
    public void Configure(EntityTypeBuilder<ApiSession> builder)
    {
        builder.ToTable("ApiSessions");
        builder.Property(s => s.DeviceName).HasMaxLength(ApiSession.DeviceNameMaxLength);
        builder.Property(s => s.LastClientAddress).HasMaxLength(ApiSession.ClientAddressMaxLength);
        builder.Property(s => s.SecurityStamp).HasMaxLength(256);
        builder.Property(s => s.RevokedReason).HasMaxLength(50);
        builder.Ignore(s => s.IsActive);
        builder.HasOne<CiertoUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.UserId, s.RevokedAt });
    }
}
