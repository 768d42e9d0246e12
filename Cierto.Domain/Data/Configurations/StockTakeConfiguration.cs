using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.StockTakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

public sealed class StockTakeConfiguration : IEntityTypeConfiguration<StockTake>, IEntityTypeConfiguration<StockTakeScan>, IEntityTypeConfiguration<StockTakeLine>
{
    /// <summary>One scan per item per stock-take: of two admins scanning it at once, one counts it.</summary>
    public const string OneScanPerItemIndex = "IX_StockTakeScans_StockTakeId_EquipmentId";

    public void Configure(EntityTypeBuilder<StockTake> builder)
    {
        builder.ToTable("StockTakes");
        builder.Property(t => t.Category).HasMaxLength(EquipmentItem.CategoryMaxLength);
        builder.Property(t => t.Location).HasMaxLength(EquipmentItem.LocationMaxLength);
        builder.Ignore(t => t.IsOpen);
        builder.Property(t => t.FinishedAt).IsConcurrencyToken(); // of two admins finishing at once, one writes the report
        builder.Property(t => t.MissingMarkedAt).IsConcurrencyToken();
        builder.HasOne<Company>().WithMany().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.CompanyId, t.StartedAt });
    }

    public void Configure(EntityTypeBuilder<StockTakeScan> builder)
    {
        builder.ToTable("StockTakeScans");
        builder.HasOne<StockTake>().WithMany().HasForeignKey(s => s.StockTakeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EquipmentItem>().WithMany().HasForeignKey(s => s.EquipmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.StockTakeId, s.EquipmentId }).IsUnique().HasDatabaseName(OneScanPerItemIndex);
    }

    public void Configure(EntityTypeBuilder<StockTakeLine> builder)
    {
        builder.ToTable("StockTakeLines");
        builder.Property(l => l.Name).HasMaxLength(EquipmentItem.NameMaxLength);
        builder.Property(l => l.InventoryNumber).HasMaxLength(EquipmentItem.InventoryNumberMaxLength);
        builder.Property(l => l.Location).HasMaxLength(EquipmentItem.LocationMaxLength);
        builder.Property(l => l.HolderName).HasMaxLength(Users.CiertoUser.DisplayNameMaxLength);
        builder.HasOne<StockTake>().WithMany().HasForeignKey(l => l.StockTakeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.StockTakeId, l.Outcome });
    }
}
