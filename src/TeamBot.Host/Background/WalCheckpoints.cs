using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace TeamBot.Host.Background;

/// <summary>
/// Who copies the SQLite write-ahead log back into the database file (a checkpoint). SQLite does it inside the commit that
/// takes the WAL past 1,000 pages, so a group of Discord reactions (or a webhook's group) waits for the copy and a flush of
/// the database file, several times a second when reactions pour in. While <see cref="WalCheckpointService"/> runs, TeamBot's
/// EF connections hand that work to it instead: the commit only wakes it, and it copies the WAL on a connection of its own,
/// without taking any lock a writer needs (SQLite's PASSIVE checkpoint), then again for what was committed meanwhile, until it
/// has caught up. The next transaction then starts the WAL again from its top, as after SQLite's own checkpoint. A writer
/// that never pauses keeps the copy from catching up: past <see cref="InCommitPages"/> pages its commits checkpoint as SQLite's
/// would, so the WAL stays bounded. No commit depends on a checkpoint: every commit is in the flushed WAL until its pages are in
/// the database file, so durability is as before.
/// </summary>
public sealed class WalCheckpoints(string connectionString) : IDisposable
{
    /// <summary>SQLite's own default: the commit that takes the WAL past this many pages checkpoints it.</summary>
    public const int SqlitePages = 1000;

    /// <summary>Past this many pages (about 16 MB at 4 KB pages) a commit checkpoints itself again even while the service runs.</summary>
    public const int InCommitPages = 4 * SqlitePages;

    /// <summary>At most this many passes after one wake-up; more pages wake it again.</summary>
    private const int MostPasses = 20;

    private static readonly ConcurrentDictionary<nint, WalCheckpoints> Running = new();
    private static readonly WalHook Hook = OnCommit;
    private static readonly nint HookPointer = Marshal.GetFunctionPointerForDelegate(Hook);
    private static long _lastId;

    private readonly nint _id = (nint)Interlocked.Increment(ref _lastId);
    private readonly SemaphoreSlim _wake = new(0);
    private int _woken;
    private Attach? _attach;

    /// <summary>Sets up connections EF opens to call <see cref="OnCommit"/> after each commit (pooled connections too: every open sets it).</summary>
    public IInterceptor Interceptor => _attach ??= new Attach(_id);

    /// <summary>From now on, commits past <see cref="SqlitePages"/> wake <see cref="WaitAsync"/> instead of checkpointing themselves.</summary>
    internal void Start() => Running[_id] = this;

    /// <summary>From now on, commits checkpoint as SQLite's own would.</summary>
    internal void Stop() => Running.TryRemove(_id, out _);

    /// <summary>Waits until a commit has taken the WAL past <see cref="SqlitePages"/> pages.</summary>
    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _wake.WaitAsync(cancellationToken);
        Volatile.Write(ref _woken, 0);
    }

    /// <summary>
    /// Copies the WAL into the database file without holding back readers or writers (PASSIVE), again for what was committed
    /// meanwhile, until all of it is copied (the next transaction then starts the WAL again), a reader still needs the rest,
    /// another connection's checkpoint is running, or <see cref="MostPasses"/> passes. Returns the WAL's pages and how many of them are in the database file.
    /// </summary>
    internal static (int WalPages, int Copied) CatchUp(SqliteConnection connection)
    {
        var (wal, copied) = (0, 0);
        for (var pass = 0; pass < MostPasses; pass++)
        {
            var before = copied;
            var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out wal, out copied);
            if (rc == raw.SQLITE_BUSY) break;
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            // All copied; or a reader still needs the pages after the copied ones: the next commit past the bound wakes it again.
            if (copied >= wal || (pass > 0 && copied <= before)) break;
        }
        return (wal, copied);
    }

    /// <summary>A connection of the service's own, for <see cref="CatchUp"/>.</summary>
    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        // A new connection learns that the database is in WAL mode only with its first read; until then a checkpoint does nothing.
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT count(*) FROM sqlite_master";
        read.ExecuteScalar();
        return connection;
    }

    public void Dispose()
    {
        Stop();
        _wake.Dispose();
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int WalHook(nint id, nint db, nint schema, int pages);

    // SQLitePCLRaw has sqlite3_wal_autocheckpoint (which is this hook with SQLite's own callback) but not sqlite3_wal_hook itself.
    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl, EntryPoint = "sqlite3_wal_hook")]
    private static extern nint SetWalHook(nint db, nint hook, nint id);

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl, EntryPoint = "sqlite3_wal_checkpoint")]
    private static extern int CheckpointInCommit(nint db, nint schema);

    /// <summary>
    /// Called by SQLite after every commit with the WAL's length (in place of SQLite's own automatic checkpoint, which is the
    /// same hook): wakes the service, or checkpoints as SQLite would when no service runs or the WAL has grown past its bound.
    /// </summary>
    private static int OnCommit(nint id, nint db, nint schema, int pages)
    {
        if (pages < SqlitePages) return 0;
        if (pages < InCommitPages && Running.TryGetValue(id, out var checkpoints))
        {
            if (Interlocked.Exchange(ref checkpoints._woken, 1) == 0) checkpoints._wake.Release();
            return 0;
        }
        // What sqlite3_wal_autocheckpoint's callback does: a checkpoint that fails is no failure of the commit.
        _ = CheckpointInCommit(db, schema);
        return 0;
    }

    private sealed class Attach(nint id) : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Set((SqliteConnection)connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Set((SqliteConnection)connection);
            return Task.CompletedTask;
        }

        private void Set(SqliteConnection connection)
        {
            if (!_available) return;
            try
            {
                SetWalHook(connection.Handle!.DangerousGetHandle(), HookPointer, id);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Another SQLite build than e_sqlite3: its connections keep SQLite's own checkpoints.
                _available = false;
            }
        }

        private static bool _available = true;
    }
}
