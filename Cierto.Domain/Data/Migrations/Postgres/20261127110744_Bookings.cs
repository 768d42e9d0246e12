using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Bookings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BookingGraceMinutes",
                table: "Companies",
                type: "integer",
                nullable: false,
                defaultValue: 15);

            migrationBuilder.AddColumn<int>(
                name: "BookingHorizonDays",
                table: "Companies",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "BookingReminderMinutes",
                table: "Companies",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "MaxBookingHours",
                table: "Companies",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<bool>(
                name: "WorkersMayBook",
                table: "Companies",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "CalendarFeedHash",
                table: "AspNetUsers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Bookings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CompanyId = table.Column<Guid>(type: "uuid", nullable: false),
                    EquipmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bookings", x => x.Id);
                    table.CheckConstraint("CK_Bookings_EndsAfterStart", "\"EndsAt\" > \"StartsAt\"");
                    table.ForeignKey(
                        name: "FK_Bookings_AspNetUsers_WorkerId",
                        column: x => x.WorkerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Bookings_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Bookings_Equipment_EquipmentId",
                        column: x => x.EquipmentId,
                        principalTable: "Equipment",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_CalendarFeedHash",
                table: "AspNetUsers",
                column: "CalendarFeedHash",
                unique: true,
                filter: "\"CalendarFeedHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_CompanyId_EndsAt",
                table: "Bookings",
                columns: new[] { "CompanyId", "EndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_CompanyId_StartsAt",
                table: "Bookings",
                columns: new[] { "CompanyId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_EquipmentId_StartsAt",
                table: "Bookings",
                columns: new[] { "EquipmentId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_WorkerId_StartsAt",
                table: "Bookings",
                columns: new[] { "WorkerId", "StartsAt" });

            // Two bookings of one item never overlap, whatever runs at the same time: [start, end)
            // ranges, so back-to-back bookings are fine. btree_gist gives GiST the uuid equality.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS btree_gist;");
            migrationBuilder.Sql("""
                ALTER TABLE "Bookings" ADD CONSTRAINT "EX_Bookings_NoOverlap"
                EXCLUDE USING gist ("EquipmentId" WITH =, tstzrange("StartsAt", "EndsAt", '[)') WITH &&);
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Bookings");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_CalendarFeedHash",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "BookingGraceMinutes",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "BookingHorizonDays",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "BookingReminderMinutes",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "MaxBookingHours",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "WorkersMayBook",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "CalendarFeedHash",
                table: "AspNetUsers");
        }
    }
}
