using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Data;
using TeamBot.Host.Background;

namespace TeamBot.Host.Tests;

/// <summary>On SQLite the running bot checkpoints the WAL beside its writers, and the WAL still starts again after each checkpoint.</summary>
public sealed class WalCheckpointHostTests
{
    [Fact]
    public async Task ACommitPastAThousandWalPages_IsCopiedIntoTheDatabaseFileByTheService_AndTheWalStartsAgain()
    {
        await using var host = await TestHost.StartAsync();
        await ExecuteAsync(host, "CREATE TABLE wal_filler (data BLOB)");

        // About 1,100 pages in one commit, past the 1,000 at which SQLite checkpoints: it wakes the service.
        await ExecuteAsync(host, "INSERT INTO wal_filler VALUES (zeroblob(1100 * 4096))");
        await Eventually.TrueAsync(() => Task.FromResult(FillerRowsInDatabaseFile(host) == 1), "the commit is checkpointed into teambot.db");

        // Everything is copied: the next commit writes the WAL from its start again (not growing past its 1,100 pages).
        await ExecuteAsync(host, "INSERT INTO wal_filler VALUES (x'00')");
        Assert.True(await WalPagesAsync(host) < 100);
    }

    [Fact]
    public async Task WithoutTheService_ACommitPastAThousandWalPages_CheckpointsItselfAsSqliteWould()
    {
        await using var host = await TestHost.StartAsync();
        host.Services.GetRequiredService<WalCheckpoints>().Stop();
        await ExecuteAsync(host, "CREATE TABLE wal_filler (data BLOB)");

        await ExecuteAsync(host, "INSERT INTO wal_filler VALUES (zeroblob(1100 * 4096))");

        // In the commit itself: in the database file as soon as the commit returns.
        Assert.Equal(1, FillerRowsInDatabaseFile(host));
    }

    /// <summary>Runs a statement on one of the bot's own EF connections (the ones the service takes checkpoints from).</summary>
    private static async Task ExecuteAsync(TestHost host, string sql)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeamBotDbContext>();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>The WAL's length in pages (read by a checkpoint).</summary>
    private static async Task<long> WalPagesAsync(TestHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeamBotDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetInt64(1);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Rows of wal_filler in teambot.db as the file holds them, ignoring its WAL (SQLite's <c>immutable</c> URI parameter);
    /// -1 when the file was read while the service was copying pages into it (an immutable read takes no lock, so it can
    /// see a schema page before the pages it points to: SQLITE_CORRUPT).
    /// </summary>
    private static long FillerRowsInDatabaseFile(TestHost host)
    {
        var path = Path.Combine(host.DataDirectory, "teambot.db");
        using var connection = new SqliteConnection($"Data Source=file:{path}?immutable=1;Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        try
        {
            count.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'wal_filler'";
            if ((long)count.ExecuteScalar()! == 0) return 0;
            count.CommandText = "SELECT count(*) FROM wal_filler";
            return (long)count.ExecuteScalar()!;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 11)
        {
            return -1;
        }
    }
}
