using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EquipmentSortIndexesCarryStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Category_Id",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_CreatedAt_Id",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment");

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Category_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Category", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_CreatedAt_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "CreatedAt", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment",
                columns: new[] { "CompanyId", "InventoryNumber" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "Id", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Name", "Id" })
                .Annotation("Npgsql:IndexInclude", new[] { "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Category_Id",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_CreatedAt_Id",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment");

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Category_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Category", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_CreatedAt_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment",
                columns: new[] { "CompanyId", "InventoryNumber" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Name", "Id" });
        }
    }
}
