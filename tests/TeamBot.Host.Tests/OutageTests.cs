using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeamBot.Testing.Discord;
using Xunit.Abstractions;

namespace TeamBot.Host.Tests;

/// <summary>
/// Issue 7, item 2: the chat platform goes away. Discord answers 503 to everything for 60 s: handoffs sent meanwhile are
/// accepted and queued, TeamBot probes with backoff and jitter instead of hammering, /healthz says degraded and why, and
/// when Discord is back the queue drains in the order the leads came, each once. The gateway cannot be reached: degraded
/// until the session is back.
/// </summary>
public sealed partial class OutageTests(ITestOutputHelper output)
{
    private const ulong Guild = 111_000_000_000_000_077;
    private const ulong Handoffs = 222_000_000_000_000_077;
    private const ulong SalesRole = 333_000_000_000_000_077;
    private const string Key = "outage-key-0123456789abcdef";
    private static readonly string Workspace = $"discord-{Guild}";

    private static async Task<(FakeDiscord Discord, TestHost Host)> StartAsync()
    {
        var discord = await FakeDiscord.StartAsync(TimeProvider.System, new FakeGuild(Guild, "Outage Inc"));
        var host = await TestHost.StartAsync(settings =>
        {
            discord.Configure(settings);
            settings[$"Discord:Guilds:{Guild}:HandoffsChannel"] = Handoffs.ToString(CultureInfo.InvariantCulture);
            settings[$"Discord:Guilds:{Guild}:ApiKey"] = Key;
            settings[$"Discord:Guilds:{Guild}:Roles:Sales"] = SalesRole.ToString(CultureInfo.InvariantCulture);
            settings["Routing:SlaMinutes"] = "0";
            // Probes at most 10 s apart, so that the drain starts soon after the outage (the default is 5 minutes).
            settings["Dispatch:MaxRetryDelay"] = "00:00:10";
        });
        await discord.WaitLiveAsync();
        return (discord, host);
    }

    /// <summary>Each handoff card posted in the channel, by the lead number in its footer, in the order Discord took them.</summary>
    private static List<long> HandoffsPosted(FakeDiscord discord) =>
    [
        .. discord.Rest.Messages
            .Where(m => m["channel_id"]!.GetValue<string>() == Handoffs.ToString(CultureInfo.InvariantCulture))
            .Select(m => m["embeds"]?[0]?["footer"]?["text"]?.GetValue<string>())
            .Where(f => f is not null && LeadFooter().IsMatch(f))
            .Select(f => long.Parse(LeadFooter().Match(f!).Groups[1].Value, CultureInfo.InvariantCulture)),
    ];

    private static async Task<JsonElement> HealthAsync(TestHost host) => await host.Client.GetFromJsonAsync<JsonElement>("/healthz");

    [Fact]
    public async Task DiscordDownForAMinute_PostsQueueAndProbeWithBackoff_ThenDrainInOrderOnce_AndHealthSaysSo()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;

        var first = await host.PostLeadsAsync("""{"email":"first@acme.com","firstName":"First"}""", Key, Workspace);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(HandoffsPosted(discord).Count == 1), "the first handoff is posted");
        Assert.Equal("healthy", (await HealthAsync(host)).GetProperty("status").GetString());

        // Discord goes down; twelve leads come in during the outage, all accepted.
        discord.Rest.OutageStatus = 503;
        var outage = Stopwatch.StartNew();
        var requestsBefore = discord.Rest.Requests.Count;
        for (var i = 1; i <= 12; i++)
        {
            var accepted = await host.PostLeadsAsync($$"""{"email":"lead{{i}}@acme.com","firstName":"Lead","lastName":"{{i}}"}""", Key, Workspace);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var degraded = await Eventually.ElementAsync(async () =>
        {
            var health = await HealthAsync(host);
            return health.GetProperty("status").GetString() == "degraded" ? health : (JsonElement?)null;
        }, "the health check reports the outage");
        var reason = degraded.GetProperty("reason").GetString()!;
        output.WriteLine(reason);
        Assert.Contains("Posting to discord has failed since", reason, StringComparison.Ordinal);
        Assert.Contains("503", reason, StringComparison.Ordinal);
        Assert.Contains("Posts are queued and retried", reason, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(60) - outage.Elapsed);
        var duringOutage = discord.Rest.Requests.Skip(requestsBefore).Where(r => r.Status == 503).ToList();
        discord.Rest.OutageStatus = null;
        var back = Stopwatch.StartNew();

        // Probes, not a storm: twelve queued posts tried one at a time, with growing gaps between the probes.
        output.WriteLine($"requests during the 60 s outage: {duringOutage.Count}");
        Assert.Single(HandoffsPosted(discord));
        Assert.InRange(duringOutage.Count, 3, 60);
        var gaps = duringOutage.Zip(duringOutage.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.True(gaps.Max() >= TimeSpan.FromSeconds(4), $"the longest gap between attempts was {gaps.Max()}");

        // Back: everything drains, in the order the leads came, each once; healthy again.
        await Eventually.TrueAsync(() => Task.FromResult(HandoffsPosted(discord).Count >= 13), "the queue drains after the outage", TimeSpan.FromSeconds(60));
        output.WriteLine($"drained {back.Elapsed.TotalSeconds:0.0} s after Discord came back");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var posted = HandoffsPosted(discord);
        Assert.Equal(13, posted.Count);
        Assert.Equal(posted.Order().ToList(), posted);
        Assert.Equal(posted.Distinct().Count(), posted.Count);
        await Eventually.TrueAsync(async () => (await HealthAsync(host)).GetProperty("status").GetString() == "healthy", "healthy again");
    }

    [Fact]
    public async Task GatewayUnreachable_HealthIsDegradedUntilTheSessionIsBack()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;
        Assert.Equal("healthy", (await HealthAsync(host)).GetProperty("status").GetString());

        discord.Holding = true;
        await discord.DropAsync();
        var degraded = await Eventually.ElementAsync(async () =>
        {
            var health = await HealthAsync(host);
            return health.GetProperty("status").GetString() == "degraded" ? health : (JsonElement?)null;
        }, "the health check reports the dropped gateway");
        Assert.Contains("gateway connection dropped", degraded.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Webhooks are still accepted while the gateway is away, and the post goes out over REST.
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"jane@acme.com","firstName":"Jane"}""", Key, Workspace)).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(HandoffsPosted(discord).Count == 1), "the handoff is posted without the gateway");

        discord.Holding = false;
        await discord.WaitLiveAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await HealthAsync(host)).GetProperty("status").GetString() == "healthy", "healthy once the session resumed",
            TimeSpan.FromSeconds(60));
    }

    [GeneratedRegex(@"^Lead \\?#(\d+)\b")]
    private static partial Regex LeadFooter();
}
