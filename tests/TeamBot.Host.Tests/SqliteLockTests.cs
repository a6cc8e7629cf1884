using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Handoffs;
using TeamBot.Testing;

namespace TeamBot.Host.Tests;

/// <summary>Quartz shares TeamBot's SQLite file; its writers must wait for a lock as briefly as TeamBot's own do.</summary>
public sealed class SqliteLockTests
{
    [Fact]
    public async Task SettingATimer_WhileAnotherWriterHoldsTheLockBriefly_GoesOnSoonAfterItIsReleased()
    {
        await using var host = await TestHost.StartAsync();
        var timers = host.Services.GetRequiredService<ISlaScheduler>();
        await timers.ScheduleAsync(1, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None); // the first one opens Quartz's connections

        var database = $"Data Source={Path.Combine(host.DataDirectory, "teambot.db")}";
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            // Quartz's next connection is a new one, not one TeamBot's own code opened before (they share a pool).
            SqliteConnection.ClearAllPools();
            var lead = 100 + i;
            waits.Add(await SqliteWriteLock.WaitOfAsync(database, TimeSpan.FromMilliseconds(20),
                () => timers.ScheduleAsync(lead, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None)));
        }

        // Microsoft.Data.Sqlite on its own sleeps 150 ms whenever the database is busy.
        waits.Sort();
        Assert.True(waits[2] < TimeSpan.FromMilliseconds(100), "median wait " + waits[2].TotalMilliseconds + " ms");
    }
}
