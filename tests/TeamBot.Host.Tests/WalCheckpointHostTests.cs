using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Data;
using TeamBot.Data.Sqlite;

namespace TeamBot.Host.Tests;

/// <summary>On SQLite the running bot checkpoints the WAL in the background, never in a commit, and keeps every commit.</summary>
public sealed class WalCheckpointHostTests
{
    [Fact]
    public async Task TheBotsConnections_LeaveCheckpointsToTheBackground_WhichCopiesAnAcceptedLeadIntoTheDatabaseFile()
    {
        await using var host = await TestHost.StartAsync(s => s["Storage:CheckpointEvery"] = "00:00:00.050");
        Assert.True(host.Services.GetRequiredService<WalCheckpoints>().InBackground);
        Assert.Equal(0L, await PragmaAsync(host, "wal_autocheckpoint"));

        var response = await host.PostLeadsAsync("""{"email":"jane@acme.com","firstName":"Jane","company":"Acme"}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        // A handful of pages, far below the 1,000 at which SQLite would checkpoint, and no connection of the bot would anyway:
        // the lead reaches the database file itself (read without its WAL) only through the background service.
        await Eventually.TrueAsync(() => Task.FromResult(LeadsInDatabaseFile(host) == 1), "the lead is checkpointed into teambot.db");

        await host.RestartAsync();
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "teambot.db")}");
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT count(*) FROM leads";
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task WithCheckpointEveryZero_SqliteCheckpointsInTheCommitsAsUsual()
    {
        await using var host = await TestHost.StartAsync(s => s["Storage:CheckpointEvery"] = "00:00:00");
        Assert.False(host.Services.GetRequiredService<WalCheckpoints>().InBackground);
        Assert.Equal(WalCheckpoints.SqliteAutoCheckpointPages, await PragmaAsync(host, "wal_autocheckpoint"));
    }

    private static async Task<long> PragmaAsync(TestHost host, string pragma)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeamBotDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            return (long)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Leads in teambot.db as the file holds them, ignoring its WAL (SQLite's <c>immutable</c> URI parameter).</summary>
    private static long LeadsInDatabaseFile(TestHost host)
    {
        var path = Path.Combine(host.DataDirectory, "teambot.db");
        using var connection = new SqliteConnection($"Data Source=file:{path}?immutable=1;Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM leads";
        return (long)count.ExecuteScalar()!;
    }
}
