using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Without a rowid, the rows are stored in primary key order: a report's whole days of one grouping are read in one sweep.
            migrationBuilder.Sql("""
                CREATE TABLE report_days (
                    workspace_id TEXT NOT NULL,
                    grouping INTEGER NOT NULL,
                    part INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    totals BLOB NOT NULL,
                    CONSTRAINT PK_report_days PRIMARY KEY (workspace_id, grouping, part, day)
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateTable(
                name: "report_dirty_days",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    changes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_dirty_days", x => new { x.workspace_id, x.day });
                });

            // Every change to a lead, its ratings, reasons or outcomes marks the day the lead was received (Unix
            // milliseconds / 86,400,000: days since 1970-01-01 UTC), in the writer's own transaction. See EfReportTotals.
            const string Mark = "INSERT INTO report_dirty_days (workspace_id, day, changes) ";
            const string Count = " ON CONFLICT (workspace_id, day) DO UPDATE SET changes = changes + 1;";
            migrationBuilder.Sql("CREATE TRIGGER report_days_lead_insert AFTER INSERT ON leads BEGIN "
                + Mark + "VALUES (NEW.workspace_id, NEW.received_at / 86400000, 1)" + Count + " END;");
            migrationBuilder.Sql("CREATE TRIGGER report_days_lead_update AFTER UPDATE OF workspace_id, received_at, source, campaign, segment, claimed_by_id, claimed_at ON leads BEGIN "
                + Mark + "VALUES (OLD.workspace_id, OLD.received_at / 86400000, 1)" + Count + " "
                + Mark + "VALUES (NEW.workspace_id, NEW.received_at / 86400000, 1)" + Count + " END;");
            migrationBuilder.Sql("CREATE TRIGGER report_days_lead_delete AFTER DELETE ON leads BEGIN "
                + Mark + "VALUES (OLD.workspace_id, OLD.received_at / 86400000, 1)" + Count + " END;");
            foreach (var table in new[] { "ratings", "reasons", "outcomes" })
            {
                const string OfLead = "SELECT workspace_id, received_at / 86400000, 1 FROM leads WHERE id = ";
                migrationBuilder.Sql($"CREATE TRIGGER report_days_{table}_insert AFTER INSERT ON {table} BEGIN {Mark}{OfLead}NEW.lead_id{Count} END;");
                migrationBuilder.Sql($"CREATE TRIGGER report_days_{table}_update AFTER UPDATE ON {table} BEGIN {Mark}{OfLead}OLD.lead_id OR id = NEW.lead_id{Count} END;");
                migrationBuilder.Sql($"CREATE TRIGGER report_days_{table}_delete AFTER DELETE ON {table} BEGIN {Mark}{OfLead}OLD.lead_id{Count} END;");
            }

            // The days already written are all out of date: the totals are built in the background after the upgrade.
            migrationBuilder.Sql(Mark + "SELECT workspace_id, received_at / 86400000, 1 FROM leads GROUP BY workspace_id, received_at / 86400000;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "lead", "ratings", "reasons", "outcomes" })
            {
                foreach (var change in new[] { "insert", "update", "delete" }) migrationBuilder.Sql($"DROP TRIGGER IF EXISTS report_days_{table}_{change};");
            }
            migrationBuilder.DropTable(
                name: "report_days");

            migrationBuilder.DropTable(
                name: "report_dirty_days");
        }
    }
}
