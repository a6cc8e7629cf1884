using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChatAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "chat_addresses",
                columns: table => new
                {
                    platform = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    place_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    address = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_addresses", x => new { x.platform, x.workspace_id, x.place_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_chat_addresses_platform_workspace_id_updated_at",
                table: "chat_addresses",
                columns: new[] { "platform", "workspace_id", "updated_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chat_addresses");
        }
    }
}
