using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assignments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "comments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_comments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "installation",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installation", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "leads",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: true),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    first_name = table.Column<string>(type: "TEXT", nullable: true),
                    last_name = table.Column<string>(type: "TEXT", nullable: true),
                    company = table.Column<string>(type: "TEXT", nullable: true),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    phone = table.Column<string>(type: "TEXT", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    campaign = table.Column<string>(type: "TEXT", nullable: true),
                    segment = table.Column<string>(type: "TEXT", nullable: true),
                    country = table.Column<string>(type: "TEXT", nullable: true),
                    company_size = table.Column<string>(type: "TEXT", nullable: true),
                    company_size_min = table.Column<int>(type: "INTEGER", nullable: true),
                    score = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: true),
                    fields_json = table.Column<string>(type: "TEXT", nullable: true),
                    dedupe_key = table.Column<string>(type: "TEXT", nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    via = table.Column<int>(type: "INTEGER", nullable: false),
                    submitted_by_id = table.Column<long>(type: "INTEGER", nullable: true),
                    assignee_id = table.Column<long>(type: "INTEGER", nullable: true),
                    pool_ids = table.Column<string>(type: "TEXT", nullable: true),
                    route_place = table.Column<string>(type: "TEXT", nullable: true),
                    route_reason = table.Column<string>(type: "TEXT", nullable: true),
                    routed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    reroutes = table.Column<int>(type: "INTEGER", nullable: false),
                    claimed_by_id = table.Column<long>(type: "INTEGER", nullable: true),
                    claimed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    handoff_platform = table.Column<string>(type: "TEXT", nullable: true),
                    handoff_place = table.Column<string>(type: "TEXT", nullable: true),
                    handoff_message_id = table.Column<string>(type: "TEXT", nullable: true),
                    thread_place = table.Column<string>(type: "TEXT", nullable: true),
                    posted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    sla_due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    sla_stage = table.Column<int>(type: "INTEGER", nullable: false),
                    stage = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    failed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    locked_by = table.Column<string>(type: "TEXT", nullable: true),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    stage = table.Column<int>(type: "INTEGER", nullable: false),
                    amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcomes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "people",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    platform_user_id = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    roles = table.Column<int>(type: "INTEGER", nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", nullable: false),
                    work_start_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    work_end_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    work_days = table.Column<int>(type: "INTEGER", nullable: false),
                    away_until = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_people", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "posted_messages",
                columns: table => new
                {
                    platform = table.Column<string>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    place_id = table.Column<string>(type: "TEXT", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: true),
                    person_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_posted_messages", x => new { x.platform, x.workspace_id, x.place_id, x.message_id });
                });

            migrationBuilder.CreateTable(
                name: "ratings",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    rating = table.Column<int>(type: "INTEGER", nullable: false),
                    source = table.Column<int>(type: "INTEGER", nullable: false),
                    emoji = table.Column<string>(type: "TEXT", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    retracted_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ratings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reason_options",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    code = table.Column<string>(type: "TEXT", nullable: false),
                    label = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    removed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reason_options", x => new { x.workspace_id, x.code });
                });

            migrationBuilder.CreateTable(
                name: "reasons",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    code = table.Column<string>(type: "TEXT", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reasons", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "routing_cursors",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    rotation = table.Column<string>(type: "TEXT", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_cursors", x => new { x.workspace_id, x.rotation });
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    platform = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", nullable: false),
                    handoffs_place = table.Column<string>(type: "TEXT", nullable: false),
                    marketing_place = table.Column<string>(type: "TEXT", nullable: false),
                    general_place = table.Column<string>(type: "TEXT", nullable: false),
                    api_key_hash = table.Column<byte[]>(type: "BLOB", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_lead_id",
                table: "assignments",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_comments_lead_id",
                table: "comments",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_leads_handoff_platform_workspace_id_thread_place",
                table: "leads",
                columns: new[] { "handoff_platform", "workspace_id", "thread_place" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_sla_due_at",
                table: "leads",
                column: "sla_due_at");

            migrationBuilder.CreateIndex(
                name: "IX_leads_workspace_id_dedupe_key_received_at",
                table: "leads",
                columns: new[] { "workspace_id", "dedupe_key", "received_at" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_workspace_id_external_id",
                table: "leads",
                columns: new[] { "workspace_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_leads_workspace_id_received_at",
                table: "leads",
                columns: new[] { "workspace_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_locked_by",
                table: "outbox",
                column: "locked_by",
                filter: "locked_by IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending",
                table: "outbox",
                columns: new[] { "due_at", "id" },
                filter: "completed_at IS NULL AND failed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_by_lead",
                table: "outbox",
                columns: new[] { "lead_id", "id" },
                filter: "completed_at IS NULL AND failed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_lead",
                table: "outbox",
                columns: new[] { "kind", "lead_id" },
                filter: "completed_at IS NULL AND failed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_outcomes_lead_id",
                table: "outcomes",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_people_workspace_id_platform_user_id",
                table: "people",
                columns: new[] { "workspace_id", "platform_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_posted_messages_lead_id_kind",
                table: "posted_messages",
                columns: new[] { "lead_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "IX_ratings_lead_id_person_id",
                table: "ratings",
                columns: new[] { "lead_id", "person_id" });

            migrationBuilder.CreateIndex(
                name: "IX_reasons_lead_id",
                table: "reasons",
                column: "lead_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assignments");

            migrationBuilder.DropTable(
                name: "comments");

            migrationBuilder.DropTable(
                name: "installation");

            migrationBuilder.DropTable(
                name: "leads");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "outcomes");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "posted_messages");

            migrationBuilder.DropTable(
                name: "ratings");

            migrationBuilder.DropTable(
                name: "reason_options");

            migrationBuilder.DropTable(
                name: "reasons");

            migrationBuilder.DropTable(
                name: "routing_cursors");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
