using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OnceKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_standup_runs_occurrence",
                table: "StandupRuns",
                columns: new[] { "standup_id", "occurrence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rejection_alerts_week",
                table: "RejectionAlerts",
                columns: new[] { "workspace_id", "kind", "key", "week_start" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_digests_week",
                table: "Digests",
                columns: new[] { "workspace_id", "week_start" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_standup_runs_occurrence",
                table: "StandupRuns");

            migrationBuilder.DropIndex(
                name: "ix_rejection_alerts_week",
                table: "RejectionAlerts");

            migrationBuilder.DropIndex(
                name: "ix_digests_week",
                table: "Digests");
        }
    }
}
