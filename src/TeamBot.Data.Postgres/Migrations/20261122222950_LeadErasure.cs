using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeadErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "erased_at",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "erased_at",
                table: "leads");
        }
    }
}
