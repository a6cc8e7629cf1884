using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TeamBot.Host.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_WhenTheBotDiedAfterPostingBeforeRecordingIt_TheCardAppearsOnce()
    {
        await using var host = await TestHost.StartAsync();
        await host.PostLeadsAsync("""{"email":"jane@acme.com","firstName":"Jane","company":"Acme"}""");
        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync()).Count == 1, "the card is posted");
        await host.StopAsync();

        // Back to the moment of the crash: the local chat shows the card, TeamBot's database has no record of posting it.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "teambot.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE leads SET handoff_message_id = NULL, handoff_platform = NULL, handoff_place = NULL, thread_place = NULL, posted_at = NULL;
                UPDATE outbox SET completed_at = NULL WHERE kind = 'handoff';
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        await host.StartAgainAsync();
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "teambot.db")};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM outbox WHERE completed_at IS NULL";
            return (long)(await command.ExecuteScalarAsync())! == 0;
        }, "the handoff is delivered again");

        Assert.Single(await host.HandoffCardsAsync());
        var claim = await host.ActAsync((await host.HandoffCardsAsync())[1].GetProperty("id").GetString()!, "sam", "claim");
        Assert.StartsWith("You claimed lead #1", claim.GetProperty("reply").GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WhenTheBotWasDownAtSlaTime_TheReminderFiresOnceAfterRestart_ThenTheEscalation()
    {
        await using var host = await TestHost.StartAsync(s => s["Routing:SlaMinutes"] = "0.04"); // 2.4 seconds
        await host.PostLeadsAsync("""{"email":"jane@acme.com","firstName":"Jane","company":"Acme"}""");
        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync()).Count == 1, "the card is posted");
        await host.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the SLA falls due while the bot is down

        await host.StartAgainAsync();
        await Eventually.TrueAsync(async () => Replies(await host.HandoffCardsAsync(), "⏰").Count == 1, "the reminder is posted after the restart");
        await Eventually.TrueAsync(async () => Replies(await host.HandoffCardsAsync(), "🚨").Count == 1, "the lead escalates after another SLA period");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var cards = await host.HandoffCardsAsync();
        Assert.Single(Replies(cards, "⏰"));
        Assert.Single(Replies(cards, "🚨"));
        Assert.Contains((await host.MessagesAsync("@alex")), m => m.GetProperty("text").GetString()!.Contains("has waited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crash_WhenTheProcessIsKilledWhileLeadsArrive_EveryAcknowledgedLeadIsPostedExactlyOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teambot-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var port = FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var process = StartBot(directory, port);
        try
        {
            await WaitHealthyAsync(client);
            var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
            var senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                for (var i = 0; i < 25; i++)
                {
                    var externalId = $"crash-{sender}-{i}";
                    var body = $$"""{"externalId":"{{externalId}}","email":"{{externalId}}@acme.com","company":"Acme"}""";
                    // Like a webhook sender: retry until acknowledged.
                    while (true)
                    {
                        try
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workspaces/local/leads") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
                            using var response = await client.SendAsync(request);
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();
                                Assert.True(acknowledged.GetOrAdd(externalId, id) == id, "a retried lead keeps its id");
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                            // The bot is down: try again shortly.
                        }
                        await Task.Delay(20);
                    }
                }
            })).ToList();

            for (var kill = 0; kill < 2; kill++)
            {
                await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 20 * (kill + 1)), "some leads are acknowledged", TimeSpan.FromSeconds(60));
                process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
                await process.WaitForExitAsync();
                process.Dispose();
                process = StartBot(directory, port);
            }
            await Task.WhenAll(senders);
            await WaitHealthyAsync(client);

            Assert.Equal(100, acknowledged.Count);
            await Eventually.TrueAsync(async () => (await TestHost.HandoffCardsAsync(client)).Count == 100, "every acknowledged lead is posted", TimeSpan.FromSeconds(60));
            var cards = await TestHost.HandoffCardsAsync(client);
            Assert.Equal(acknowledged.Values.Order(), cards.Keys.Order());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static List<JsonElement> Replies(Dictionary<long, JsonElement> cards, string prefix) =>
        cards.Values.SelectMany(c => c.GetProperty("replies").EnumerateArray())
            .Where(r => r.GetProperty("text").GetString()?.StartsWith(prefix, StringComparison.Ordinal) == true)
            .ToList();

    private static Process StartBot(string directory, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { BotAssembly(), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var (key, value) in TestHost.DefaultSettings()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["Local__PostsPerSecond"] = "200";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(HttpClient client) =>
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, "the bot process is healthy", TimeSpan.FromSeconds(60));

    /// <summary>The teambot.dll this test run built (the Host project's output for the same configuration).</summary>
    private static string BotAssembly()
    {
        var testDirectory = AppContext.BaseDirectory;
        var candidate = Path.Combine(testDirectory, "teambot.dll");
        if (File.Exists(candidate) && File.Exists(Path.Combine(testDirectory, "teambot.runtimeconfig.json"))) return candidate;
        var configuration = new DirectoryInfo(testDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var root = testDirectory;
        while (!File.Exists(Path.Combine(root, "TeamBot.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("TeamBot.sln not found above " + testDirectory);
        return Path.Combine(root, "src", "TeamBot.Host", "bin", configuration, "net10.0", "teambot.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
