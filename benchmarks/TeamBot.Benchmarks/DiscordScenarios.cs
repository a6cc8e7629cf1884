using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using TeamBot.Testing.Discord;

namespace TeamBot.Benchmarks;

/// <summary>
/// What the Discord scenarios share: the tests' loopback Discord (gateway and REST speaking the real protocol, enforcing
/// rate limits) in this process, and a TeamBot host in its own process connected to it. Guild <c>k</c> is the workspace
/// <c>discord-&lt;BenchGuild + k&gt;</c>, with its own handoffs channel <c>BenchChannel + k</c>, the bench webhook key and
/// a sales role.
/// </summary>
internal static partial class Orchestrator
{
    private const ulong BenchGuild = 111_000_000_000_000_000;
    private const ulong BenchChannel = 222_000_000_000_000_000;
    private const ulong BenchSalesRole = 333_000_000_000_000_042;

    private static readonly string DiscordLeadsPath = LeadsPath(BenchGuild);

    private static string LeadsPath(ulong guild) => $"/api/v1/workspaces/discord-{guild}/leads";

    private sealed class DiscordBench(FakeDiscord discord, HostProcess host) : IAsyncDisposable
    {
        public FakeDiscord Discord { get; } = discord;

        public HostProcess Host { get; } = host;

        public string Database => Path.Combine(Host.DataDirectory, "teambot.db");

        /// <summary>The webhook route of each guild's workspace.</summary>
        public IReadOnlyList<string> LeadsPaths => [.. Discord.Guilds.Select(g => LeadsPath(g.Id))];

        /// <summary>The posts into the guilds' handoffs channels that the fake accepted, in the order it took them.</summary>
        public IReadOnlyList<RecordedRequest> ChannelPosts()
        {
            var channels = Discord.Guilds.Select(g => $"/api/v10/channels/{BenchChannel + (g.Id - BenchGuild)}/messages").ToHashSet(StringComparer.Ordinal);
            return [.. Discord.Rest.Requests.Where(r => r.Method == "POST" && channels.Contains(r.Path) && r.Status == 200)];
        }

        /// <summary>Each lead's first handoff post (a card carries "Lead #id" in its embed's footer).</summary>
        public Dictionary<long, RecordedRequest> HandoffPosts()
        {
            var posts = new Dictionary<long, RecordedRequest>();
            foreach (var post in ChannelPosts())
            {
                if (LeadNumber(post.Json) is { } lead) posts.TryAdd(lead, post);
            }
            return posts;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Discord.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts the fake on <paramref name="clock"/> and a host connected to it, and waits until the guild is a workspace.
    /// Without <paramref name="documentedLimits"/> the fake's limits are lifted, so that nothing waits for a rate-limit window.
    /// </summary>
    private static async Task<DiscordBench> StartDiscordAsync(Context context, string name, TimeProvider clock, bool documentedLimits,
        IReadOnlyDictionary<string, string>? extra = null, int guilds = 1)
    {
        var discord = await FakeDiscord.StartAsync(clock, [.. Enumerable.Range(0, guilds).Select(k => new FakeGuild(BenchGuild + (ulong)k, $"Bench {k}"))]);
        if (!documentedLimits)
        {
            discord.Rest.BucketLimit = 1_000_000;
            discord.Rest.GlobalPerSecond = 1_000_000;
        }
        var settings = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["Discord__Token"] = discord.Rest.Token,
            ["Discord__ApiBaseUrl"] = discord.Rest.ApiBaseUrl,
            ["Discord__GatewayUrl"] = discord.Gateway.Url,
        };
        foreach (var guild in discord.Guilds)
        {
            var section = $"Discord__Guilds__{guild.Id}__";
            settings[section + "HandoffsChannel"] = (BenchChannel + (guild.Id - BenchGuild)).ToString(CultureInfo.InvariantCulture);
            settings[section + "ApiKey"] = HostProcess.ApiKey;
            settings[section + "Roles__Sales"] = BenchSalesRole.ToString(CultureInfo.InvariantCulture);
        }
        HostProcess host;
        try
        {
            host = await HostProcess.StartAsync(context.Root, Path.Combine(context.Work, name), settings);
        }
        catch
        {
            await discord.DisposeAsync();
            throw;
        }
        var bench = new DiscordBench(discord, host);
        try
        {
            await discord.WaitLiveAsync(TimeSpan.FromSeconds(60));
            // A guild's slash commands are registered once its workspace exists (after its GUILD_CREATE was handled).
            var commands = discord.Guilds.Select(g => $"/api/v10/applications/{FakeDiscord.ApplicationId}/guilds/{g.Id}/commands").ToHashSet(StringComparer.Ordinal);
            await UntilAsync(() => discord.Rest.Requests.Where(r => r.Method == "PUT" && commands.Contains(r.Path)).Select(r => r.Path).Distinct().Count() == commands.Count,
                TimeSpan.FromSeconds(60), "every guild is a workspace");
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> leads to the guilds' webhooks, numbered from 0: the same share to each guild (so that
    /// TeamBot's pace of 5 posts per 5 s per channel holds no guild back longer than it must), at most 100 per request.
    /// </summary>
    private static async Task SendDiscordLeadsAsync(DiscordBench bench, int count, string tag)
    {
        using var http = new HttpClient { BaseAddress = new Uri(bench.Host.Url), Timeout = TimeSpan.FromSeconds(60) };
        var paths = bench.LeadsPaths;
        for (var (sent, requests) = (0, 0); sent < count; requests++)
        {
            var path = paths[requests % paths.Count];
            var size = Math.Min(Math.Min(100, (count + paths.Count - 1) / paths.Count), count - sent);
            var plan = new LoadPlan(bench.Host.Url, path, HostProcess.ApiKey, 1, size, 0, 0, 0, tag);
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ByteArrayContent(LoadGenerator.Body(plan, sent)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostProcess.ApiKey);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"The webhook answered {(int)response.StatusCode}.");
            sent += size;
        }
    }

    /// <summary>The lead a handoff card is about (its embed's footer starts with "Lead #id"); null for other messages.</summary>
    private static long? LeadNumber(JsonNode? message)
    {
        var footer = message?["embeds"]?[0]?["footer"]?["text"]?.GetValue<string>();
        return footer is not null && LeadFooter().Match(footer) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static bool IsCard(JsonNode? body) => body?["embeds"] is JsonArray { Count: > 0 };

    private static async Task UntilAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Rows of a read-only query on TeamBot's SQLite file (it runs in WAL mode: readers see committed rows only).</summary>
    private static async Task<List<T>> QueryAsync<T>(string database, string sql, Func<SqliteDataReader, T> row)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var db = new SqliteConnection(connection);
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(row(reader));
        return rows;
    }

    [GeneratedRegex(@"^Lead \\?#(\d+) ")]
    private static partial Regex LeadFooter();
}
