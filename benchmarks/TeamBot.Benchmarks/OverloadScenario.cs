using System.Globalization;

namespace TeamBot.Benchmarks;

internal static partial class Orchestrator
{
    /// <summary>
    /// Issue 7, item 3, "overload": first the sustainable ingest rate of this machine, as in <c>ingest-batch</c> (8 senders
    /// of 100-lead requests, each waiting for its answer); then 5 times that rate offered on a fixed schedule by 256
    /// senders, twice. TeamBot must answer the excess with 503 and <c>Retry-After</c> (<c>Intake:MaxQueuedLeads</c>, 10,000
    /// by default) instead of queueing it, keep its memory bounded (the second round must not raise the peak), and store
    /// every lead it acknowledged.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> OverloadAsync(Context context)
    {
        var directory = Path.Combine(context.Work, "overload");
        await using var host = await HostProcess.StartAsync(context.Root, directory);
        const string path = "/api/v1/workspaces/local/leads";
        var sustainable = await LoadAsync(context, host, path, concurrency: 8, leadsPerRequest: 100);
        var before = host.PeakRssMegabytes;
        var offered = 5 * sustainable.LeadsPerSecond;
        // Two rounds of the same flood: memory is bounded when the second round does not raise the peak.
        var first = await LoadAsync(context with { Warmup = 0 }, host, path, concurrency: 256, leadsPerRequest: 100, rate: offered / 100);
        var afterFirst = host.PeakRssMegabytes;
        var flood = await LoadAsync(context with { Warmup = 0 }, host, path, concurrency: 256, leadsPerRequest: 100, rate: offered / 100);
        var afterSecond = host.PeakRssMegabytes;
        var stored = (await QueryAsync(Path.Combine(directory, "teambot.db"), "SELECT count(*) FROM leads", r => r.GetInt64(0)))[0];
        var acknowledged = sustainable.Statuses.GetValueOrDefault(202) * 100 + first.Leads + flood.Leads;
        var refused = first.Statuses.GetValueOrDefault(503) + flood.Statuses.GetValueOrDefault(503);
        var other = first.Statuses.Concat(flood.Statuses).Where(s => s.Key is not (202 or 503)).Sum(s => s.Value);
        var statuses = string.Join(", ", flood.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:#,0}"));
        return
        [
            new("overload", $"5x the sustainable rate offered ({offered:#,0} leads/s in 100-lead requests, 256 senders)", flood.LeadsPerSecond, "leads/s accepted",
                flood.P50, flood.P95, flood.P99, host.PeakRssMegabytes,
                string.Create(CultureInfo.InvariantCulture,
                    $"sustainable, same run: {sustainable.LeadsPerSecond:#,0} leads/s; second round's answers {statuses}; host peak {before:0} MB before the flood, {afterFirst:0} MB after a first {context.Seconds:0}-s round, {afterSecond:0} MB after the second"),
                sustainable.LeadsPerSecond, flood.LeadsPerSecond / sustainable.LeadsPerSecond,
                "excess answered 503 + Retry-After at once; memory bounded (the second round adds < 5% to the peak)",
                refused > 0 && other == 0 && afterSecond <= afterFirst * 1.05, flood),
            new("overload", "leads stored against leads acknowledged with 202", stored, "leads stored", null, null, null, null,
                string.Create(CultureInfo.InvariantCulture, $"acknowledged {acknowledged:#,0} (answers that came after the measuring window are not counted, so stored may be higher)"), acknowledged,
                acknowledged == 0 ? null : (double)stored / acknowledged, "every acknowledged lead stored", stored >= acknowledged),
        ];
    }
}
