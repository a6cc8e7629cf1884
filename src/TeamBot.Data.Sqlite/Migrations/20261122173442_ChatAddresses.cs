using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
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
                    platform = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    place_id = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    address = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
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
