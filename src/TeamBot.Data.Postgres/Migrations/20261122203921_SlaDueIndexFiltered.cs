using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SlaDueIndexFiltered : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_sla_due_at",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "IX_leads_sla_due_at",
                table: "leads",
                column: "sla_due_at",
                filter: "sla_due_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_sla_due_at",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "IX_leads_sla_due_at",
                table: "leads",
                column: "sla_due_at");
        }
    }
}
