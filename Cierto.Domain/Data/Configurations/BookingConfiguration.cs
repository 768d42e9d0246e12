using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

/// <summary>
/// Bookings. On PostgreSQL the migration adds <see cref="NoOverlapConstraint"/>:
/// <c>EXCLUDE USING gist ("EquipmentId" WITH =, tstzrange("StartsAt", "EndsAt") WITH &amp;&amp;)</c>
/// (with <c>btree_gist</c> for the equality on a uuid), which EF Core's model cannot express.
/// </summary>
public sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public const string NoOverlapConstraint = "EX_Bookings_NoOverlap";

    public void Configure(EntityTypeBuilder<Booking> builder)
    {
        builder.ToTable("Bookings", t => t.HasCheckConstraint("CK_Bookings_EndsAfterStart", "\"EndsAt\" > \"StartsAt\""));
        builder.Property(b => b.Note).HasMaxLength(Booking.NoteMaxLength);
        builder.HasOne<EquipmentItem>().WithMany().HasForeignKey(b => b.EquipmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CiertoUser>().WithMany().HasForeignKey(b => b.WorkerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Company>().WithMany().HasForeignKey(b => b.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => new { b.EquipmentId, b.StartsAt });
        builder.HasIndex(b => new { b.WorkerId, b.StartsAt });
        builder.HasIndex(b => new { b.CompanyId, b.StartsAt });
        builder.HasIndex(b => new { b.CompanyId, b.EndsAt });
    }
}
