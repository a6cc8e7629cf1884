using System.Globalization;
using TeamBot.Testing;

namespace TeamBot.Benchmarks;

internal static partial class Orchestrator
{
    private const int BurstLeads = 500;

    /// <summary>Discord's documented limit on a channel's messages: this many per window.</summary>
    private const int PostsPerWindow = 5;

    private static readonly TimeSpan PostWindow = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Target 4: 500 leads (5 webhook requests of 100) into one channel of a fake that enforces Discord's documented limits
    /// (5 messages per 5 s per channel, 50 requests/s). Counts the 429s, compares the time from the first post to the last
    /// with the least those limits allow for the same number of posts, and checks that the channel was told what is queued.
    /// Ten minutes of windows would pass in real time, so the host and the fake share a clock running <c>--speed</c> times
    /// faster (10 by default; <c>--speed 1</c> is real time). Every limit is enforced in the time both agree on; the host's own
    /// work is magnified by the factor, so a faster clock errs on the slow side.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> BurstPacingAsync(Context context)
    {
        var speed = Option(Environment.GetCommandLineArgs(), "--speed", 10);
        var epoch = DateTimeOffset.UtcNow;
        var clock = new ScaledTimeProvider(speed, epoch);
        await using var bench = await StartDiscordAsync(context, "burst", clock, documentedLimits: true, new Dictionary<string, string>
        {
            [HostRole.ClockVariable] = HostRole.ClockSetting(speed, epoch),
            // No SLA timers: they would post reminders into the same channel.
            ["Routing__SlaMinutes"] = "0",
        });

        var sent = clock.GetUtcNow();
        await SendDiscordLeadsAsync(bench, BurstLeads, Guid.NewGuid().ToString("N")[..8]);
        var allowed = Least(BurstLeads + 10) * 2 / speed;
        await UntilAsync(() => bench.HandoffPosts().Count >= BurstLeads, allowed + TimeSpan.FromMinutes(1), $"{BurstLeads} handoffs are posted");

        var posts = bench.ChannelPosts().OrderBy(p => p.At).ToList();
        var notices = posts.Where(p => !IsCard(p.Json)).ToList();
        var told = notices.Any(n => n.Body.Contains("queue", StringComparison.OrdinalIgnoreCase));
        var tooMany = bench.Discord.Rest.TooManyRequests;
        var took = posts[^1].At - posts[0].At;
        var least = Least(posts.Count);
        var ratio = took / least;
        return
        [
            new("burst-pacing", string.Create(CultureInfo.InvariantCulture,
                    $"{BurstLeads} leads into one channel, documented limits: {posts.Count - notices.Count} handoffs + {notices.Count} notice(s), {tooMany} × 429, queue notice {(told ? "posted" : "missing")}; first post {(posts[0].At - sent).TotalSeconds:0.0} s after the webhook; clock {speed:0.#}x"),
                took.TotalSeconds, "s first to last post", null, null, null, bench.Host.PeakRssMegabytes,
                $"least time the limits allow for {posts.Count} posts (s)", least.TotalSeconds, ratio,
                "0 × 429, within 1.10x of the least time, queue notice", tooMany == 0 && ratio <= 1.1 && told),
        ];
    }

    /// <summary>The first <see cref="PostsPerWindow"/> posts go at once; every further group waits for a new window.</summary>
    private static TimeSpan Least(int posts) => PostWindow * (((posts + PostsPerWindow - 1) / PostsPerWindow) - 1);
}
