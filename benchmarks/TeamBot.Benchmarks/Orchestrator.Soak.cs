using System.Diagnostics;
using System.Globalization;

namespace TeamBot.Benchmarks;

internal static partial class Orchestrator
{

    /// <summary>
    /// Target 7, "no growth over a 10-minute steady run": single-lead webhook requests at a steady <c>--rate</c> (100 leads/s by
    /// default: what the outbox dispatcher posts on the local chat with room to spare, so that nothing piles up) for
    /// <c>--minutes</c> (10 by default), every lead posted on the local chat (its pace lifted, as in handoff-latency), the
    /// host's resident memory sampled every 5 seconds. The first minute fills caches and pools; growth is the last minute's
    /// median against the second minute's.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> SoakAsync(Context context)
    {
        var directory = Path.Combine(context.Work, "soak");
        await using var host = await HostProcess.StartAsync(context.Root, directory, new Dictionary<string, string> { ["Local__PostsPerSecond"] = "1000" });
        var seconds = context.SoakMinutes * 60;
        var rate = context.SoakRate;
        var samples = new List<(double At, double Mb)>();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Add((clock.Elapsed.TotalSeconds, host.RssMegabytes));
                try { await Task.Delay(TimeSpan.FromSeconds(5), stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var load = await LoadAsync(context with { Warmup = 0, Seconds = seconds }, host, "/api/v1/workspaces/local/leads", concurrency: 8, leadsPerRequest: 1, rate: rate);
        await stop.CancelAsync();
        await sampler;
        WriteTimeline(context.Root, "soak-rss", "seconds,rss_mb", samples.Select(s => FormattableString.Invariant($"{s.At:0.0},{s.Mb:0.0}")));
        var posted = await PostLatenciesAsync(Path.Combine(directory, "teambot.db"), TimeSpan.FromSeconds(60));

        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
        }
        var settled = Median(samples.Where(s => s.At is >= 60 and < 120).Select(s => s.Mb));
        var last = Median(samples.Where(s => s.At >= seconds - 60).Select(s => s.Mb));
        var growth = last - settled;
        var minutes = context.SoakMinutes.ToString("0.#", CultureInfo.InvariantCulture);
        return
        [
            new("soak", $"resident memory growth over {minutes} min at {rate:0} leads/s", growth, "MB", null, null, null, host.PeakRssMegabytes,
                string.Create(CultureInfo.InvariantCulture, $"minute 2 median {settled:0} MB, last minute median {last:0} MB"), settled, growth / settled,
                "no growth (last minute within 5% of minute 2)", growth <= settled * 0.05),
            new("soak", $"leads accepted and posted over {minutes} min", posted.Length, "leads posted", load.P50, load.P95, load.P99, null,
                string.Create(CultureInfo.InvariantCulture, $"accepted {load.Leads:#,0}, failures {load.Failures:#,0}; webhook latency shown"), null, null,
                "every accepted lead posted", load.Failures == 0 && posted.Length >= load.Leads, load),
        ];
    }
}
