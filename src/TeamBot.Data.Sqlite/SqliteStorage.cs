using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace TeamBot.Data.Sqlite;

public static class SqliteStorage
{
    /// <summary>Uses SQLite with this project's migrations.</summary>
    public static DbContextOptionsBuilder UseTeamBotSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStorage).Assembly.GetName().Name));

    /// <summary>The connection string for a database file, with a busy timeout so that writers wait for each other.</summary>
    public static string ConnectionStringFor(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
}
