using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DedupeKeysInMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_workspace_id_dedupe_key_received_at",
                table: "leads");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_leads_workspace_id_dedupe_key_received_at",
                table: "leads",
                columns: new[] { "workspace_id", "dedupe_key", "received_at" });
        }
    }
}
