using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    person_id = table.Column<long>(type: "bigint", nullable: false),
                    message_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    late = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_standup_answers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "standup_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    standup_id = table.Column<long>(type: "bigint", nullable: false),
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    occurrence = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    remind_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reminded = table.Column<bool>(type: "boolean", nullable: false),
                    mode = table.Column<int>(type: "integer", nullable: false),
                    asked = table.Column<string>(type: "text", nullable: false),
                    excluded_json = table.Column<string>(type: "text", nullable: true),
                    summary = table.Column<string>(type: "text", nullable: true),
                    miss_reported = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_standup_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "standups",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    name_key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false),
                    participants = table.Column<string>(type: "text", nullable: false),
                    schedule = table.Column<string>(type: "text", nullable: false),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    questions = table.Column<string>(type: "text", nullable: false),
                    window_seconds = table.Column<long>(type: "bigint", nullable: false),
                    mode = table.Column<int>(type: "integer", nullable: false),
                    remind_before_seconds = table.Column<long>(type: "bigint", nullable: true),
                    tag_publicly = table.Column<bool>(type: "boolean", nullable: false),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    next_occurrence = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    next_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
