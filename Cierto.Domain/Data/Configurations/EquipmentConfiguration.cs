using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

internal sealed class EquipmentConfiguration : IEntityTypeConfiguration<EquipmentItem>
{
    public void Configure(EntityTypeBuilder<EquipmentItem> builder)
    {
        builder.ToTable("Equipment");
        builder.Property(e => e.Name).HasMaxLength(EquipmentItem.NameMaxLength);
        builder.Property(e => e.InventoryNumber).HasMaxLength(EquipmentItem.InventoryNumberMaxLength);
        builder.Property(e => e.Category).HasMaxLength(EquipmentItem.CategoryMaxLength);
        builder.Property(e => e.Description).HasMaxLength(EquipmentItem.DescriptionMaxLength);
        builder.Property(e => e.Location).HasMaxLength(EquipmentItem.LocationMaxLength);
        builder.HasIndex(e => new { e.CompanyId, e.Location });
        builder.Property(e => e.ActivationCode).HasMaxLength(EquipmentItem.ActivationCodeMaxLength);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasOne<Company>().WithMany().HasForeignKey(e => e.CompanyId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(e => new { e.CompanyId, e.ActivationCode }).IsUnique();

        // One index per sort of the equipment grid, each ending in the id the sort ends with: a page
        // is found in the index alone, however deep (EquipmentService.ListAsync). PostgreSQL also
        // has trigram indexes for the search box (migration EquipmentGridIndexes, not in this model).
        // Each carries the status too (on PostgreSQL), so the grid's default filter (not retired) is
        // checked in the index and a deep page skips its rows without reading the table.
        builder.HasIndex(e => new { e.CompanyId, e.InventoryNumber }).IsUnique().IncludeProperties(e => new { e.Id, e.Status });
        builder.HasIndex(e => new { e.CompanyId, e.Name, e.Id }).IncludeProperties(e => e.Status);
        builder.HasIndex(e => new { e.CompanyId, e.Status, e.Name, e.Id });
        builder.HasIndex(e => new { e.CompanyId, e.Category, e.Id }).IncludeProperties(e => e.Status);
        builder.HasIndex(e => new { e.CompanyId, e.CreatedAt, e.Id }).IncludeProperties(e => e.Status);
    }
}
