using System;
using Microsoft.EntityFrameworkCore.Migrations;

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
