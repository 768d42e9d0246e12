using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EquipmentSortIndexesCarryStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
