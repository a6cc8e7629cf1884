using System.Globalization;

namespace TeamBot.Benchmarks;

internal static partial class Orchestrator
{
    private const int LatencyGuilds = 100;

    /// <summary>
    /// Target 3 on Discord: leads sent one per request at a fixed rate, round the webhooks of 100 guilds; for each, the time
    /// from TeamBot receiving it (its own <c>received_at</c>) to the fake Discord receiving the handoff's POST (the
    /// platform's side; both clocks are this machine's). No rate pressure from the channels: TeamBot paces each channel to
    /// Discord's 5 posts per 5 s by itself, so one guild could never take 50 leads/s, and 100 guilds get 0.5 lead/s each.
    /// The fake's own limits are lifted. Two runs: 20 leads/s (40 requests/s with each handoff's thread: under Discord's
    /// global 50 requests/s, so nothing waits for a limit) and the target's 50 leads/s (100 requests/s: over it, so TeamBot's
    /// global limiter queues part of that run).
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> HandoffLatencyDiscordAsync(Context context)
    {
        await using var bench = await StartDiscordAsync(context, "latency-discord", TimeProvider.System, documentedLimits: false, guilds: LatencyGuilds);
        var results = new List<ScenarioResult>();
        foreach (var rate in new[] { 20, 50 })
        {
            var before = (await QueryAsync(bench.Database, "SELECT COALESCE(MAX(id), 0) FROM leads", r => r.GetInt64(0)))[0];
            var measuredFrom = MeasuredFrom(context);
            var load = await LoadAsync(context, bench.Host, DiscordLeadsPath, concurrency: 4, leadsPerRequest: 1, rate: rate, paths: bench.LeadsPaths);
            var (leads, latencies) = await DiscordPostLatenciesAsync(bench, before, TimeSpan.FromSeconds(30), measuredFrom);
            double? P(double p) => latencies.Length == 0 ? null : LoadGenerator.Percentile(latencies, p);
            var under = rate * 2 <= 50 ? "under" : "over";
            results.Add(new("handoff-latency-discord",
                $"webhook to handoff POST at the fake Discord, {rate} leads/s over {LatencyGuilds} guilds ({under} Discord's global 50 requests/s), {leads} leads after the warm-up",
                latencies.Length, "leads posted", P(0.50), P(0.95), P(0.99), bench.Host.PeakRssMegabytes,
                string.Create(CultureInfo.InvariantCulture, $"(the webhook itself answered in p50 {load.P50:0.0} ms, p99 {load.P99:0.0} ms)"), null, null,
                "p50 < 10 ms, p99 < 50 ms", latencies.Length == leads && leads > 0 && P(0.50) < 10 && P(0.99) < 50, load));
        }
        return results;
    }

    /// <summary>
    /// Waits until every lead after <paramref name="after"/> is posted (or the time is up); the latencies in ms, sorted, of those
    /// received from <paramref name="since"/> (unix ms), and how many those were.
    /// </summary>
    private static async Task<(int Leads, double[] Latencies)> DiscordPostLatenciesAsync(DiscordBench bench, long after, TimeSpan wait, long since)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            var received = await QueryAsync(bench.Database, $"SELECT id, received_at FROM leads WHERE id > {after}", r => (Id: r.GetInt64(0), At: r.GetInt64(1)));
            var posts = bench.HandoffPosts();
            if (received.All(r => posts.ContainsKey(r.Id)) || DateTime.UtcNow > until)
            {
                var measured = received.Where(r => r.At >= since).ToList();
                return (measured.Count, [.. measured.Where(r => posts.ContainsKey(r.Id)).Select(r => (double)(posts[r.Id].At.ToUnixTimeMilliseconds() - r.At)).Order()]);
            }
            await Task.Delay(250);
        }
    }
}
