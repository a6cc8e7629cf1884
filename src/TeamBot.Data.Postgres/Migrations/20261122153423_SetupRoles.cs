using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamBot.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SetupRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "role_mappings",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "text", nullable: false),
                    platform_role_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    roles = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_role_mappings", x => new { x.workspace_id, x.platform_role_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "role_mappings");
        }
    }
}
