using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
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
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_place",
                table: "posted_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sequence",
                table: "outbox",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "goal_updates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    goal_id = table.Column<long>(type: "bigint", nullable: false),
                    value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    person_id = table.Column<long>(type: "bigint", nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_goal_updates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "goals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    metric = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    target = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    start_value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_day = table.Column<DateOnly>(type: "date", nullable: false),
                    owner_ids = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_by_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    archived_by_id = table.Column<long>(type: "bigint", nullable: true),
                    archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_goals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "holidays",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_holidays", x => new { x.workspace_id, x.date });
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
                name: "IX_goal_updates_goal_id_at",
                table: "goal_updates",
                columns: new[] { "goal_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_goals_workspace_id_archived_at",
                table: "goals",
                columns: new[] { "workspace_id", "archived_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "goal_updates");

            migrationBuilder.DropTable(
                name: "goals");

            migrationBuilder.DropTable(
                name: "holidays");

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
