using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Rhythms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "subject",
                table: "posted_messages",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_place",
                table: "posted_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sequence",
                table: "outbox",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "digest_schedules",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_digest_schedules", x => x.workspace_id);
                });

            migrationBuilder.CreateTable(
                name: "digests",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    week_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    posted_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_digests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "goal_updates",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    goal_id = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_goal_updates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "goals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    metric = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    target = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    start_value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    first_day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    last_day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    owner_ids = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    created_by_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    archived_by_id = table.Column<long>(type: "INTEGER", nullable: true),
                    archived_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_goals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "holidays",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_holidays", x => new { x.workspace_id, x.date });
                });

            migrationBuilder.CreateTable(
                name: "rejection_alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    week_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    leads = table.Column<int>(type: "INTEGER", nullable: false),
                    rejected = table.Column<int>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rejection_alerts", x => x.id);
                });

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
                name: "ix_posted_messages_subject",
                table: "posted_messages",
                columns: new[] { "workspace_id", "subject" },
                filter: "subject IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_posted_messages_thread",
                table: "posted_messages",
                columns: new[] { "platform", "workspace_id", "thread_place" },
                filter: "thread_place IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_by_sequence",
                table: "outbox",
                columns: new[] { "sequence", "id" },
                filter: "sequence IS NOT NULL AND completed_at IS NULL AND failed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_digests_workspace_id_week_start",
                table: "digests",
                columns: new[] { "workspace_id", "week_start" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_goal_updates_goal_id_at",
                table: "goal_updates",
                columns: new[] { "goal_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_goals_workspace_id_archived_at",
                table: "goals",
                columns: new[] { "workspace_id", "archived_at" });

            migrationBuilder.CreateIndex(
                name: "IX_rejection_alerts_workspace_id_kind_key_week_start",
                table: "rejection_alerts",
                columns: new[] { "workspace_id", "kind", "key", "week_start" },
                unique: true);

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
                name: "digest_schedules");

            migrationBuilder.DropTable(
                name: "digests");

            migrationBuilder.DropTable(
                name: "goal_updates");

            migrationBuilder.DropTable(
                name: "goals");

            migrationBuilder.DropTable(
                name: "holidays");

            migrationBuilder.DropTable(
                name: "rejection_alerts");

            migrationBuilder.DropTable(
                name: "standup_answers");

            migrationBuilder.DropTable(
                name: "standup_runs");

            migrationBuilder.DropTable(
                name: "standups");

            migrationBuilder.DropIndex(
                name: "ix_posted_messages_subject",
                table: "posted_messages");

            migrationBuilder.DropIndex(
                name: "ix_posted_messages_thread",
                table: "posted_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_pending_by_sequence",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "subject",
                table: "posted_messages");

            migrationBuilder.DropColumn(
                name: "thread_place",
                table: "posted_messages");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "outbox");
        }
    }
}
