using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderCheckoutRoundAndRefundAttempt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CheckoutRound",
                table: "Orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RefundAttempt",
                table: "Orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // The round used to be counted from the audit log: carry it over, so no expired checkout is asked for again.
            migrationBuilder.Sql("""
                UPDATE "Orders" SET "CheckoutRound" = (SELECT count(*) FROM "AuditEntries" AS a WHERE a."Action" = 'order.checkout-expired' AND a."TargetId" = lower("Orders"."Id"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CheckoutRound",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "RefundAttempt",
                table: "Orders");
        }
    }
}
