using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EquipmentNameIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Name",
                table: "Equipment",
                columns: new[] { "CompanyId", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Name",
                table: "Equipment");
        }
    }
}
