using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Testing;

namespace TeamBot.Data.Tests;

/// <summary>Writers that meet on the SQLite file wait for each other inside SQLite, for as long as the lock is held and no more.</summary>
public sealed class SqliteLockTests
{
    [Fact]
    public async Task AWriter_WhenAnotherHoldsTheLockBriefly_GoesOnSoonAfterItIsReleased()
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            waits.Add(await SqliteWriteLock.WaitOfAsync(world.Database.ConnectionString, TimeSpan.FromMilliseconds(20), () => world.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<TeamBotDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await transaction.CommitAsync();
                return true;
            })));
        }

        // Microsoft.Data.Sqlite on its own sleeps 150 ms whenever the database is busy; SQLite's busy handler polls in milliseconds.
        waits.Sort();
        Assert.True(waits[2] < TimeSpan.FromMilliseconds(100), "median wait " + waits[2].TotalMilliseconds + " ms");
    }

    [Fact]
    public async Task TeamBotsConnections_WaitForALockInsideSqlite()
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        var timeout = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA busy_timeout";
                return (long)(await command.ExecuteScalarAsync())!;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.Equal(30_000L, timeout);
    }
}
