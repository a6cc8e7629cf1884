using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Standups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "standup_answers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    edited_at = table.Column<long>(type: "INTEGER", nullable: true),
                    late = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_standup_answers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "standup_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    standup_id = table.Column<long>(type: "INTEGER", nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    occurrence = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    scheduled_at = table.Column<long>(type: "INTEGER", nullable: false),
                    posted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closes_at = table.Column<long>(type: "INTEGER", nullable: true),
                    remind_at = table.Column<long>(type: "INTEGER", nullable: true),
                    reminded = table.Column<bool>(type: "INTEGER", nullable: false),
                    mode = table.Column<int>(type: "INTEGER", nullable: false),
                    asked = table.Column<string>(type: "TEXT", nullable: false),
                    excluded_json = table.Column<string>(type: "TEXT", nullable: true),
                    summary = table.Column<string>(type: "TEXT", nullable: true),
                    miss_reported = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_standup_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "standups",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    name_key = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    channel = table.Column<string>(type: "TEXT", nullable: false),
                    participants = table.Column<string>(type: "TEXT", nullable: false),
                    schedule = table.Column<string>(type: "TEXT", nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", nullable: false),
                    questions = table.Column<string>(type: "TEXT", nullable: false),
                    window_seconds = table.Column<long>(type: "INTEGER", nullable: false),
                    mode = table.Column<int>(type: "INTEGER", nullable: false),
                    remind_before_seconds = table.Column<long>(type: "INTEGER", nullable: true),
                    tag_publicly = table.Column<bool>(type: "INTEGER", nullable: false),
                    paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    next_occurrence = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    next_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_by = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_standups", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_standup_answers_run_id_person_id_message_id",
                table: "standup_answers",
                columns: new[] { "run_id", "person_id", "message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_standup_answers_workspace_id_person_id_message_id",
                table: "standup_answers",
                columns: new[] { "workspace_id", "person_id", "message_id" });

            migrationBuilder.CreateIndex(
                name: "IX_standup_runs_standup_id_occurrence",
                table: "standup_runs",
                columns: new[] { "standup_id", "occurrence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_standup_runs_state",
                table: "standup_runs",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "IX_standup_runs_workspace_id_posted_at",
                table: "standup_runs",
                columns: new[] { "workspace_id", "posted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_standups_name",
                table: "standups",
                columns: new[] { "workspace_id", "name_key" },
                unique: true,
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "standup_answers");

            migrationBuilder.DropTable(
                name: "standup_runs");

            migrationBuilder.DropTable(
                name: "standups");
        }
    }
}
