using Microsoft.Data.Sqlite;
using TeamBot.Data.Sqlite;

namespace TeamBot.Data.Tests;

/// <summary>Checkpoints taken over from the commits: none in a commit, every commit kept, and the WAL file emptied on request.</summary>
public sealed class WalCheckpointTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teambot-wal-tests", Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public WalCheckpointTests()
    {
        Directory.CreateDirectory(_directory);
        _connectionString = SqliteStorage.ConnectionStringFor(Path.Combine(_directory, "wal.db"));
    }

    [Fact]
    public void TakenOver_CommitsLeaveTheWalAlone_AndACheckpointCopiesItAll()
    {
        var checkpoints = new WalCheckpoints(_connectionString);
        checkpoints.TakeOver();
        WriteRows(checkpoints, rows: 3000);

        // SQLite's own checkpoint would have run in a commit once the WAL passed 1,000 pages, and started it again from the top.
        var pass = checkpoints.Checkpoint();
        Assert.True(pass.WalPages > 2 * WalCheckpoints.SqliteAutoCheckpointPages, $"WAL of {pass.WalPages} pages");
        Assert.Equal(pass.WalPages, pass.CheckpointedPages);
        Assert.False(pass.Busy);
        Assert.Equal(3000, CountRows());
    }

    [Fact]
    public void HandedBack_CommitsCheckpointAsSqliteDoes()
    {
        var checkpoints = new WalCheckpoints(_connectionString);
        checkpoints.TakeOver();
        checkpoints.HandBack();
        WriteRows(checkpoints, rows: 3000);

        var pages = checkpoints.Checkpoint().WalPages;
        Assert.True(pages < 2 * WalCheckpoints.SqliteAutoCheckpointPages, $"WAL of {pages} pages");
    }

    [Fact]
    public void Truncating_EmptiesTheWalFile_AndEveryCommitSurvivesAReopen()
    {
        var checkpoints = new WalCheckpoints(_connectionString);
        checkpoints.TakeOver();
        WriteRows(checkpoints, rows: 3000);
        Assert.True(checkpoints.WalFileBytes() > 0);

        var pass = checkpoints.Checkpoint(truncate: true);

        Assert.False(pass.Busy);
        Assert.Equal(0, checkpoints.WalFileBytes());
        SqliteConnection.ClearAllPools();
        Assert.Equal(3000, CountRows());
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
    }

    [Fact]
    public void Restarting_MakesTheNextCommitWriteTheWalFromItsStart()
    {
        var checkpoints = new WalCheckpoints(_connectionString);
        checkpoints.TakeOver();
        WriteRows(checkpoints, rows: 3000);

        Assert.False(checkpoints.Checkpoint(restart: true).Busy);
        WriteRows(checkpoints, rows: 100);

        var pages = checkpoints.Checkpoint().WalPages;
        Assert.True(pages < 300, $"WAL of {pages} pages");
        Assert.Equal(3100, CountRows());
    }

    [Fact]
    public void Truncating_WhileAReaderHoldsASnapshot_GivesUpQuickly_AndLosesNothing()
    {
        var checkpoints = new WalCheckpoints(_connectionString);
        checkpoints.TakeOver();
        WriteRows(checkpoints, rows: 100);
        using var reader = new SqliteConnection(_connectionString);
        reader.Open();
        using var snapshot = reader.BeginTransaction(deferred: true);
        using (var read = reader.CreateCommand())
        {
            read.Transaction = snapshot;
            read.CommandText = "SELECT count(*) FROM t";
            read.ExecuteScalar();
        }
        WriteRows(checkpoints, rows: 100);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pass = checkpoints.Checkpoint(truncate: true);

        Assert.True(pass.Busy);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));
        snapshot.Commit();
        Assert.Equal(200, CountRows());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>Rows of about 3 KB (a page each) in transactions of 100, on a connection set up as TeamBot's are.</summary>
    private void WriteRows(WalCheckpoints checkpoints, int rows)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteStorage.WaitWhenBusy(connection);
        checkpoints.Prepare(connection);
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
            setup.ExecuteNonQuery();
        }
        for (var done = 0; done < rows; done += 100)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t (body) VALUES ($body)";
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            for (var i = 0; i < Math.Min(100, rows - done); i++)
            {
                body.Value = new string((char)('a' + (i % 26)), 3000);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    private long CountRows()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        return (long)count.ExecuteScalar()!;
    }
}
