using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OpenLeadsPerRep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_leads_open_assigned",
                table: "leads",
                columns: new[] { "workspace_id", "assignee_id" },
                filter: "stage < 4 AND claimed_by_id IS NULL AND assignee_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_open_claimed",
                table: "leads",
                columns: new[] { "workspace_id", "claimed_by_id" },
                filter: "stage < 4 AND claimed_by_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_open_assigned",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_open_claimed",
                table: "leads");
        }
    }
}
