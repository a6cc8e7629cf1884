using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReportTotalsSortedSpeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Report totals now keep claim speeds sorted (format 2 of ReportTotalsBlob). Marking every stored day has the
            // background pass rebuild them; until then reports count those days from the leads, so they stay exact.
            migrationBuilder.Sql(MarkEveryStoredDay);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier build cannot read format 2 but ignores the blobs of marked days and rebuilds them in its own format.
            migrationBuilder.Sql(MarkEveryStoredDay);
        }

        private const string MarkEveryStoredDay =
            "INSERT INTO report_dirty_days (workspace_id, day, changes) SELECT DISTINCT workspace_id, day, 1 FROM report_days WHERE true "
            + "ON CONFLICT (workspace_id, day) DO UPDATE SET changes = report_dirty_days.changes + 1;";
    }
}
