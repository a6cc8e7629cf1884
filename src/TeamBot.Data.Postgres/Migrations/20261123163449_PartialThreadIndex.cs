using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PartialThreadIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_handoff_platform_workspace_id_thread_place",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "IX_leads_handoff_platform_workspace_id_thread_place",
                table: "leads",
                columns: new[] { "handoff_platform", "workspace_id", "thread_place" },
                filter: "thread_place IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_handoff_platform_workspace_id_thread_place",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "IX_leads_handoff_platform_workspace_id_thread_place",
                table: "leads",
                columns: new[] { "handoff_platform", "workspace_id", "thread_place" });
        }
    }
}
