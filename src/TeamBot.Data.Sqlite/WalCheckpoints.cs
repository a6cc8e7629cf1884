using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TeamBot.Data.Sqlite;

/// <summary>What one checkpoint did.</summary>
/// <param name="WalPages">The WAL's length in pages.</param>
/// <param name="CheckpointedPages">How many of them are now in the database file.</param>
/// <param name="Busy">A truncating checkpoint could not finish because another connection was reading or writing.</param>
public readonly record struct WalCheckpoint(int WalPages, int CheckpointedPages, bool Busy);

/// <summary>
/// Who copies one SQLite database's write-ahead log back into the database file (a checkpoint). By default SQLite does it
/// inside the commit that takes the WAL past 1,000 pages, on whichever connection that is: a webhook's group, a group of
/// reactions or a timer then waits for the copy and a flush of the database file. Once <see cref="TakeOver"/> is called,
/// TeamBot's connections turn that off as they open and a background service calls <see cref="Checkpoint"/> instead.
/// A checkpoint never drops a commit: the WAL is flushed at every commit and stays until its pages are in the database.
/// </summary>
public sealed class WalCheckpoints(string connectionString)
{
    /// <summary>SQLite's own default: a checkpoint in the commit that takes the WAL past this many pages.</summary>
    public const int SqliteAutoCheckpointPages = 1000;

    /// <summary>How long a truncating checkpoint waits for other connections before it gives up until the next quiet moment.</summary>
    private const int TruncateWaitMs = 20;

    private volatile bool _inBackground;

    /// <summary>Whether connections opened now leave checkpoints to <see cref="Checkpoint"/>.</summary>
    public bool InBackground => _inBackground;

    /// <summary>From now on, connections opened (or taken from the pool) leave checkpoints to <see cref="Checkpoint"/>.</summary>
    public void TakeOver() => _inBackground = true;

    /// <summary>From now on, connections opened checkpoint as SQLite does by default again (when the background service stops).</summary>
    public void HandBack() => _inBackground = false;

    /// <summary>Sets an open connection's automatic checkpoint to what <see cref="InBackground"/> says (pooled connections keep it, so every open sets it).</summary>
    public void Prepare(SqliteConnection connection)
    {
        var rc = raw.sqlite3_wal_autocheckpoint(connection.Handle, _inBackground ? 0 : SqliteAutoCheckpointPages);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>
    /// Copies what it can of the WAL into the database without waiting for anyone (SQLite's PASSIVE checkpoint). With
    /// <paramref name="restart"/>, then also makes the next commit write the WAL from its start, if no other connection needs
    /// it within a few milliseconds (RESTART; with <paramref name="truncate"/>, TRUNCATE, which also empties the file). A WAL
    /// with nothing new costs a look at its index.
    /// </summary>
    /// <remarks>
    /// Beside a writer that commits all the time, a PASSIVE checkpoint alone never lets the WAL start again (the writer has
    /// always added pages since), so the file would grow for as long as the writes go on.
    /// </remarks>
    public WalCheckpoint Checkpoint(bool restart = false, bool truncate = false)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var wal, out var copied);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        if (!(restart || truncate) || copied < wal) return new WalCheckpoint(wal, copied, Busy: copied < wal);
        // RESTART and TRUNCATE hold back new writers while they wait for the others: only briefly (the pooled connection gets the usual wait back).
        SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(connection.Handle, TruncateWaitMs), connection.Handle);
        try
        {
            var mode = truncate ? raw.SQLITE_CHECKPOINT_TRUNCATE : raw.SQLITE_CHECKPOINT_RESTART;
            rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", mode, out wal, out copied);
            if (rc == raw.SQLITE_BUSY) return new WalCheckpoint(wal, copied, Busy: true);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            return new WalCheckpoint(wal, copied, Busy: false);
        }
        finally
        {
            SqliteStorage.WaitWhenBusy(connection);
        }
    }

    /// <summary>The WAL file's size in bytes (0 when there is none).</summary>
    public long WalFileBytes()
    {
        var wal = new FileInfo(new SqliteConnectionStringBuilder(connectionString).DataSource + "-wal");
        return wal.Exists ? wal.Length : 0;
    }
}
