using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

public sealed class UsageSessionConfiguration : IEntityTypeConfiguration<UsageSession>
{
    /// <summary>Name of the partial unique index that allows one active session per item.</summary>
    public const string OneActiveSessionIndex = "IX_UsageSessions_OneActivePerEquipment";

    public void Configure(EntityTypeBuilder<UsageSession> builder)
    {
        builder.ToTable("UsageSessions");
        builder.Property(s => s.EndReason).HasMaxLength(UsageSession.ReasonMaxLength);
        builder.Ignore(s => s.IsActive);
        builder.Property(s => s.EndedAt).IsConcurrencyToken(); // ending a session settles races in the UPDATE
        builder.HasOne<EquipmentItem>().WithMany(e => e.Sessions).HasForeignKey(s => s.EquipmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CiertoUser>().WithMany().HasForeignKey(s => s.WorkerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Company>().WithMany().HasForeignKey(s => s.CompanyId).OnDelete(DeleteBehavior.Cascade);

        // Quoted identifiers read the same in PostgreSQL and SQLite.
        builder.HasIndex(s => s.EquipmentId)
            .HasDatabaseName(OneActiveSessionIndex)
            .IsUnique()
            .HasFilter("\"EndedAt\" IS NULL");
        builder.HasIndex(s => new { s.EquipmentId, s.StartedAt });
        builder.HasIndex(s => new { s.CompanyId, s.EndedAt, s.StartedAt });
        builder.HasIndex(s => new { s.CompanyId, s.StartedAt, s.Id }).IsDescending(false, true, false); // history pages and the latest activations, newest first
        builder.HasIndex(s => new { s.WorkerId, s.EndedAt });
    }
}
