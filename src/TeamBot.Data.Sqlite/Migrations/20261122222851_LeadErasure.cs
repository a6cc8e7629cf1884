using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeadErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "erased_at",
                table: "leads",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "erased_at",
                table: "leads");
        }
    }
}
