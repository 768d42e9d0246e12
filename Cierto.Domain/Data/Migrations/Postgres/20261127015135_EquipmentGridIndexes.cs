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
            // an index on an expression, so they live here only. pg_trgm ships with PostgreSQL and is a
            // trusted extension (the database's owner may create it); where it cannot be created, search
            // still works, by reading the company's items, and the log says why.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
                    RAISE WARNING 'pg_trgm could not be created (%): equipment search works without its trigram indexes', SQLERRM;
                END $$;
                """);
            foreach (var column in TrigramColumns)
            {
                migrationBuilder.Sql($$"""
                    DO $$
                    BEGIN
                        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                            CREATE INDEX "IX_Equipment_{{column}}_Trigram" ON "Equipment" USING gin (upper("{{column}}") gin_trgm_ops);
                        END IF;
                    END $$;
                    """);
            }
        }

        private static readonly string[] TrigramColumns = ["Name", "InventoryNumber", "Category"];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var column in TrigramColumns)
            {
                migrationBuilder.Sql($"""DROP INDEX IF EXISTS "IX_Equipment_{column}_Trigram";""");
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
