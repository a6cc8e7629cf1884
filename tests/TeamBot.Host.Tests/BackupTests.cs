using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TeamBot.Host.Cli;

namespace TeamBot.Host.Tests;

/// <summary>`teambot backup` while the bot takes leads, and a restore of the copy as README.md describes it.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teambot-backup-tests", Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public BackupTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Backup_WhileLeadsArrive_HoldsEveryLeadAcknowledgedBeforeIt_AndRestoresToAWorkingBot()
    {
        await using var host = await TestHost.StartAsync();
        var acknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var response = await host.PostLeadsAsync(StorageFaultTests.Batch(batch, 5));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                foreach (var lead in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leads").EnumerateArray())
                {
                    acknowledged.Enqueue(lead.GetProperty("externalId").GetString()!);
                }
                await Task.Delay(10); // a steady stream, not a backlog the restored bot would take long to post
            }
        });
        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 50), "50 leads are acknowledged");

        var before = acknowledged.ToHashSet(StringComparer.Ordinal);
        var file = Path.Combine(_directory, "teambot-backup.db");
        var code = await RunAsync("backup", file, "--contentRoot", host.Directory);
        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= before.Count + 20), "more leads are acknowledged");
        await stop.CancelAsync();
        await sender;

        Assert.True(code == TeamBotCli.Ok, _output.ToString());
        Assert.Contains("integrity ok", _output.ToString());
        Assert.True(File.Exists(file + BackupCommand.LocalChatSuffix), "the local chat is copied beside it");
        Assert.Equal("ok", await StorageFaultTests.IntegrityAsync(host, file));
        var copied = await StorageFaultTests.ExternalIdsAsync(host, file);
        Assert.Empty(before.Except(copied));

        // Restore: stop the bot, put both copies in place without their -wal and -shm files, start it.
        await host.StopAsync();
        Restore(file, Path.Combine(host.DataDirectory, "teambot.db"));
        Restore(file + BackupCommand.LocalChatSuffix, Path.Combine(host.DataDirectory, "localchat.db"));
        await host.StartAgainAsync();

        Assert.Equal(copied, await StorageFaultTests.ExternalIdsAsync(host));
        var fresh = await host.PostLeadsAsync(StorageFaultTests.Batch(9_999, 1));
        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        var freshId = (await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leads")[0].GetProperty("id").GetInt64();
        // A lead taken after the restore gets its own card, though its number was used before the restore; no lead is shown twice.
        var cards = new Dictionary<long, JsonElement>();
        await Eventually.TrueAsync(async () => (cards = await host.HandoffCardsAsync()).ContainsKey(freshId), "the new lead is posted");
        Assert.Contains("s9999-0@example.com", cards[freshId].GetRawText());
        Assert.Equal("ok", await StorageFaultTests.IntegrityAsync(host));
    }

    [Fact]
    public async Task Backup_ToAFileThatExists_OrWithoutATeamBotDatabase_OrOnPostgres_IsAClearError()
    {
        Assert.Equal(TeamBotCli.Failed, await RunAsync("backup", Path.Combine(_directory, "copy.db"), "--contentRoot", _directory));
        Assert.Contains("There is no TeamBot database at", _output.ToString());

        Directory.CreateDirectory(Path.Combine(_directory, "data"));
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_directory, "data", "teambot.db")};Pooling=False"))
        {
            await db.OpenAsync();
        }
        Assert.Equal(TeamBotCli.Failed, await RunAsync("backup", Path.Combine(_directory, "empty.db"), "--contentRoot", _directory));
        Assert.Contains("is not a TeamBot database", _output.ToString());
        Assert.False(File.Exists(Path.Combine(_directory, "empty.db")), "no copy of something that is not TeamBot's");
        var existing = Path.Combine(_directory, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");
        Assert.Equal(TeamBotCli.Failed, await RunAsync("backup", existing, "--contentRoot", _directory));
        Assert.Contains("already exists; choose another name", _output.ToString());
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));

        Assert.Equal(TeamBotCli.Failed, await RunAsync("backup", Path.Combine(_directory, "pg.db"), "--contentRoot", _directory,
            "--Storage:Provider", "Postgres", "--Storage:ConnectionString", "Host=127.0.0.1;Database=teambot"));
        Assert.Contains("back it up with pg_dump", _output.ToString());
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
            // Left for the temp folder's own clean-up.
        }
    }

    private static void Restore(string backup, string database)
    {
        File.Copy(backup, database, overwrite: true);
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
    }

    private Task<int> RunAsync(params string[] args) => CliConsole.RunAsync(_output, args);
}
