using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EquipmentGridIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Category",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Name",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Status_Name",
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
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Status_Name_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Status", "Name", "Id" });
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
                name: "IX_Equipment_CompanyId_Name_Id",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Status_Name_Id",
                table: "Equipment");

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Category",
                table: "Equipment",
                columns: new[] { "CompanyId", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Name",
                table: "Equipment",
                columns: new[] { "CompanyId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Status_Name",
                table: "Equipment",
                columns: new[] { "CompanyId", "Status", "Name" });
        }
    }
}
