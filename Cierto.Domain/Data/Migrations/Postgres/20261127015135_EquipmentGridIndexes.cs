using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Postgres
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
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Name",
                table: "Equipment");

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Status_Name",
                table: "Equipment");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

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

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Status_Name_Id",
                table: "Equipment",
                columns: new[] { "CompanyId", "Status", "Name", "Id" });

            // The search box matches upper(column) LIKE '%TERM%' (EquipmentService): trigram indexes on
            // those expressions answer it without reading every item. EF Core's model cannot express
            // an index on an expression, so they live here only.
            foreach (var column in TrigramColumns)
            {
                migrationBuilder.Sql($@"CREATE INDEX ""IX_Equipment_{column}_Trigram"" ON ""Equipment"" USING gin (upper(""{column}"") gin_trgm_ops);");
            }
        }

        private static readonly string[] TrigramColumns = ["Name", "InventoryNumber", "Category"];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var column in TrigramColumns)
            {
                migrationBuilder.Sql($@"DROP INDEX ""IX_Equipment_{column}_Trigram"";");
            }

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

            migrationBuilder.DropIndex(
                name: "IX_Equipment_CompanyId_Status_Name_Id",
                table: "Equipment");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_Category",
                table: "Equipment",
                columns: new[] { "CompanyId", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_Equipment_CompanyId_InventoryNumber",
                table: "Equipment",
                columns: new[] { "CompanyId", "InventoryNumber" },
                unique: true);

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
