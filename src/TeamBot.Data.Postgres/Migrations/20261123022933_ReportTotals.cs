using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReportTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_days",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    grouping = table.Column<int>(type: "integer", nullable: false),
                    part = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    totals = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_days", x => new { x.workspace_id, x.grouping, x.part, x.day });
                });

            migrationBuilder.CreateTable(
                name: "report_dirty_days",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    changes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_dirty_days", x => new { x.workspace_id, x.day });
                });

            // Every change to a lead, its ratings, reasons or outcomes marks the day the lead was received (days since
            // 1970-01-01 UTC), in the writer's own transaction. See EfReportTotals.
            migrationBuilder.Sql("""
                CREATE FUNCTION report_days_mark(ws text, at timestamptz) RETURNS void LANGUAGE sql AS $$
                    INSERT INTO report_dirty_days (workspace_id, day, changes) VALUES (ws, floor(extract(epoch FROM at) / 86400)::int, 1)
                    ON CONFLICT (workspace_id, day) DO UPDATE SET changes = report_dirty_days.changes + 1;
                $$;
                CREATE FUNCTION report_days_lead_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN PERFORM report_days_mark(OLD.workspace_id, OLD.received_at); END IF;
                    IF TG_OP <> 'DELETE' THEN PERFORM report_days_mark(NEW.workspace_id, NEW.received_at); END IF;
                    RETURN NULL;
                END $$;
                CREATE FUNCTION report_days_feedback_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN PERFORM report_days_mark(l.workspace_id, l.received_at) FROM leads l WHERE l.id = OLD.lead_id; END IF;
                    IF TG_OP <> 'DELETE' THEN PERFORM report_days_mark(l.workspace_id, l.received_at) FROM leads l WHERE l.id = NEW.lead_id; END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER report_days_lead AFTER INSERT OR DELETE OR UPDATE OF workspace_id, received_at, source, campaign, segment, claimed_by_id, claimed_at
                    ON leads FOR EACH ROW EXECUTE FUNCTION report_days_lead_changed();
                CREATE TRIGGER report_days_ratings AFTER INSERT OR UPDATE OR DELETE ON ratings FOR EACH ROW EXECUTE FUNCTION report_days_feedback_changed();
                CREATE TRIGGER report_days_reasons AFTER INSERT OR UPDATE OR DELETE ON reasons FOR EACH ROW EXECUTE FUNCTION report_days_feedback_changed();
                CREATE TRIGGER report_days_outcomes AFTER INSERT OR UPDATE OR DELETE ON outcomes FOR EACH ROW EXECUTE FUNCTION report_days_feedback_changed();

                -- The days already written are all out of date: the totals are built in the background after the upgrade.
                INSERT INTO report_dirty_days (workspace_id, day, changes)
                SELECT workspace_id, floor(extract(epoch FROM received_at) / 86400)::int, 1 FROM leads GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS report_days_lead ON leads;
                DROP TRIGGER IF EXISTS report_days_ratings ON ratings;
                DROP TRIGGER IF EXISTS report_days_reasons ON reasons;
                DROP TRIGGER IF EXISTS report_days_outcomes ON outcomes;
                DROP FUNCTION IF EXISTS report_days_lead_changed();
                DROP FUNCTION IF EXISTS report_days_feedback_changed();
                DROP FUNCTION IF EXISTS report_days_mark(text, timestamptz);
                """);
            migrationBuilder.DropTable(
                name: "report_days");

            migrationBuilder.DropTable(
                name: "report_dirty_days");
        }
    }
}
