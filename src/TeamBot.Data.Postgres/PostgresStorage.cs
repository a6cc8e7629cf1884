using Microsoft.EntityFrameworkCore;

namespace TeamBot.Data.Postgres;

public static class PostgresStorage
{
    /// <summary>Uses PostgreSQL with this project's migrations.</summary>
    public static DbContextOptionsBuilder UseTeamBotPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name));
}
