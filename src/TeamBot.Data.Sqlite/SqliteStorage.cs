using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TeamBot.Data.Sqlite;

public static class SqliteStorage
{
    /// <summary>How long a writer waits for another one before it gives up with "database is locked".</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Uses SQLite with this project's migrations, waiting for other writers the way SQLite itself does.</summary>
    public static DbContextOptionsBuilder UseTeamBotSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStorage).Assembly.GetName().Name))
            .AddInterceptors(BusyWaits.Instance)
            .UsePositionalStatements(SqliteStatements.Instance);

    /// <summary>The connection string for a database file, with a busy timeout so that writers wait for each other.</summary>
    public static string ConnectionStringFor(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = (int)BusyTimeout.TotalSeconds, Pooling = true }.ToString();

    /// <summary>
    /// Makes SQLite wait for a lock itself (<c>sqlite3_busy_timeout</c>: it polls after 1, 2, 5, 10… ms) before reporting the
    /// database busy. Without it, Microsoft.Data.Sqlite answers a busy database by sleeping 150 ms and trying again, so
    /// one writer meeting another for a millisecond lost 150 ms: measured, most of a handoff's webhook-to-post time.
    /// </summary>
    public static void WaitWhenBusy(SqliteConnection connection)
    {
        var rc = SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)BusyTimeout.TotalMilliseconds);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>
    /// Makes this open connection wait at most <paramref name="wait"/> for another writer's lock, for a caller with a deadline
    /// (the webhook): it then fails with SQLITE_BUSY before its transaction began, so nothing of it is stored. Disposing the
    /// result restores the usual waits; so does the next open of the connection.
    /// </summary>
    public static IDisposable WaitAtMost(SqliteConnection connection, TimeSpan wait)
    {
        var ms = (int)Math.Clamp(wait.TotalMilliseconds, 1, BusyTimeout.TotalMilliseconds);
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, ms), connection.Handle);
        // Microsoft.Data.Sqlite retries a busy statement itself until the command timeout (whole seconds) has passed:
        // one second is its shortest, and SQLite's own wait above is the real bound.
        var timeout = connection.DefaultTimeout;
        connection.DefaultTimeout = 1;
        return new Undo(() =>
        {
            connection.DefaultTimeout = timeout;
            if (connection.State == System.Data.ConnectionState.Open) WaitWhenBusy(connection);
        });
    }

    /// <summary>
    /// Lets this open connection keep at least <paramref name="kibibytes"/> of pages in its cache until the result is disposed,
    /// which restores its size and so frees the pages beyond it. For one large transaction (the webhook's group commit): when
    /// its changed pages do not fit in the cache (SQLite's default is 2 MB), SQLite writes them to the WAL before the commit
    /// and reads them back when they change again (several times over for the pages of an index written at random places).
    /// </summary>
    public static IDisposable CacheAtLeast(SqliteConnection connection, int kibibytes)
    {
        var before = Convert.ToInt64(Pragma(connection, "PRAGMA cache_size"), CultureInfo.InvariantCulture);
        // Negative sizes are KiB, positive ones pages.
        var current = before < 0 ? -before : before * Convert.ToInt64(Pragma(connection, "PRAGMA page_size"), CultureInfo.InvariantCulture) / 1024;
        if (current >= kibibytes) return new Undo(() => { });
        Pragma(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{kibibytes}"));
        // Put back; if that fails, the connection does not go back to the pool with the larger cache.
        return new Undo(() =>
        {
            if (connection.State != System.Data.ConnectionState.Open) return;
            try
            {
                // Invariant: in some cultures a negative number is written with U+2212, which SQLite reads as a name (size 0).
                Pragma(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {before}"));
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool(connection);
            }
        });
    }

    private static object? Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Undoes a setting of a connection when disposed.</summary>
    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private sealed class BusyWaits : DbConnectionInterceptor
    {
        public static readonly BusyWaits Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            WaitWhenBusy((SqliteConnection)connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            WaitWhenBusy((SqliteConnection)connection);
            return Task.CompletedTask;
        }
    }
}
