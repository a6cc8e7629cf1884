using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TeamBot.Testing;

/// <summary>Another writer on a SQLite file: holds its write lock for a moment while the code under test tries to write.</summary>
public static class SqliteWriteLock
{
    /// <summary>
    /// Takes the write lock, runs <paramref name="write"/> while it is held for <paramref name="hold"/>, and answers how long
    /// <paramref name="write"/> took: how long a writer that met the lock waited, plus its own work.
    /// </summary>
    public static async Task<TimeSpan> WaitOfAsync(string connectionString, TimeSpan hold, Func<Task> write)
    {
        await using var holder = new SqliteConnection(connectionString);
        await holder.OpenAsync();
        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken here.
        await using var transaction = await holder.BeginTransactionAsync();
        var release = Task.Run(async () =>
        {
            await Task.Delay(hold);
            await transaction.CommitAsync();
        });

        var clock = Stopwatch.StartNew();
        await write();
        var took = clock.Elapsed;
        await release;
        return took;
    }
}
