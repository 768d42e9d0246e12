using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cierto.Domain.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 15);

            migrationBuilder.AddColumn<int>(
                name: "BookingHorizonDays",
                table: "Companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "BookingReminderMinutes",
                table: "Companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "MaxBookingHours",
                table: "Companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<bool>(
                name: "WorkersMayBook",
                table: "Companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "CalendarFeedHash",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Bookings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EquipmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
        }

        /// <inheritdoc />
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
