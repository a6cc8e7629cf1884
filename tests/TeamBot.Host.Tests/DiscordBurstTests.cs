using System.Globalization;
using System.Net;
using System.Text;
using TeamBot.Testing;
using TeamBot.Testing.Discord;
using Xunit.Abstractions;

namespace TeamBot.Host.Tests;

/// <summary>
/// 500 handoffs into one Discord channel against a fake that enforces Discord's documented limits (5 messages per 5 s per
/// channel, 50 requests per second): no 429, and done within 10% of the least time those limits allow. The bot and the
/// fake share a clock that runs <see cref="Speed"/> times faster than real time, so eight minutes of windows pass in
/// under a minute; every limit is still enforced in the time both sides agree on. The compressed clock also magnifies
/// every real stall ten times (a second the test process spends on other tests' work is ten seconds of Discord time),
/// so this test runs alone, after the parallel ones.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class DiscordBurstTests(ITestOutputHelper output)
{
    private const double Speed = 10;
    private const int Leads = 500;
    private const ulong Guild = 111_000_000_000_000_009;
    private const ulong Channel = 222_000_000_000_000_009;
    private const string Key = "discord-burst-key-0123456789";

    [Fact]
    public async Task FiveHundredHandoffs_IntoOneChannel_NoTooManyRequests_WithinTenPercentOfTheLimit()
    {
        var clock = new ScaledTimeProvider(Speed);
        await using var discord = await FakeDiscord.StartAsync(clock, new FakeGuild(Guild, "Burst"));
        await using var host = await TestHost.StartAsync(settings =>
        {
            discord.Configure(settings);
            settings[$"Discord:Guilds:{Guild}:HandoffsChannel"] = Channel.ToString(CultureInfo.InvariantCulture);
            settings[$"Discord:Guilds:{Guild}:ApiKey"] = Key;
            settings["Routing:SlaMinutes"] = "0";
        }, clock);
        await discord.WaitLiveAsync();

        var started = clock.GetUtcNow();
        for (var batch = 0; batch < Leads / 100; batch++)
        {
            var json = new StringBuilder("{\"leads\":[");
            for (var i = 0; i < 100; i++)
            {
                var n = (batch * 100) + i;
                json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"email\":\"lead{n}@example.com\",\"company\":\"Company {n}\",\"source\":\"burst\"}}");
            }
            json.Append("]}");
            var response = await host.PostLeadsAsync(json.ToString(), Key, $"discord-{Guild}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var channelPath = $"/api/v10/channels/{Channel}/messages";
        IReadOnlyList<RecordedRequest> Posts() => [.. discord.Rest.Requests.Where(r => r.Method == "POST" && r.Path == channelPath && r.Status == 200)];
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (Posts().Count(p => p.Body.Contains("\"embeds\"", StringComparison.Ordinal)) < Leads)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {Posts().Count} of {Leads} handoffs were posted in time.");
            await Task.Delay(100);
        }

        var posts = Posts();
        var handoffs = posts.Count(p => p.Body.Contains("\"embeds\"", StringComparison.Ordinal));
        var notices = posts.Where(p => !p.Body.Contains("\"embeds\"", StringComparison.Ordinal)).ToList();
        // Pacing starts with the first post: the first five go at once, every further five wait for a new 5-second window.
        var took = posts.Max(p => p.At) - posts.Min(p => p.At);
        var least = TimeSpan.FromSeconds(5 * (((posts.Count + 4) / 5) - 1));
        var ordered = posts.OrderBy(p => p.At).ToList();
        var windows = ordered.Where((p, i) => i % 5 == 0).Select(p => p.At).ToList();
        var gaps = windows.Zip(windows.Skip(1), (a, b) => (b - a).TotalSeconds).Order().ToList();
        output.WriteLine($"first post after {(ordered[0].At - started).TotalSeconds:0.0} s; window gaps median {gaps[gaps.Count / 2]:0.000} s, max {gaps[^1]:0.000} s; within a window {ordered.Chunk(5).Select(c => (c[^1].At - c[0].At).TotalSeconds).Max():0.000} s at most");
        output.WriteLine($"{handoffs} handoffs and {notices.Count} queue notice(s) in {took.TotalSeconds:0.0} s (Discord time); limits allow {least.TotalSeconds:0} s at best: {took / least:0.000}x; 429s: {discord.Rest.TooManyRequests}");

        Assert.Equal(Leads, handoffs);
        Assert.Equal(0, discord.Rest.TooManyRequests);
        Assert.InRange(took, least, least * 1.1);
        // The channel was told a burst is queued.
        Assert.Contains(notices, n => n.Body.Contains("queue", StringComparison.OrdinalIgnoreCase));
    }
}
