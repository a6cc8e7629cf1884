using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TeamBot.Benchmarks;

/// <summary>
/// Issue 7, item 1, "crashes": 5,000 leads from 8 concurrent senders while the host is killed with SIGKILL 10 times at
/// random moments and started again on the same data folder. Senders retry every lead that was not acknowledged (the
/// connection was refused or cut, or the answer was not a 202) until it is. The SLA is 15 s on the always-on clock, so every
/// unclaimed lead's reminder and escalation fall due during the kills; a stand-up prompts every minute on the same timers.
/// Afterwards the local chat's own store is read: every lead acknowledged is stored once and posted once, each reminder and
/// escalation appears once per lead, and each stand-up occurrence once, in a row of minutes without a gap.
/// </summary>
internal static partial class Orchestrator
{
    private const int CrashLeads = 5_000;
    private const int CrashSenders = 8;
    private const int CrashKills = 10;

    /// <summary>The senders' total pace: slow enough that the kills fall while leads are still coming in (about 50 s of sending).</summary>
    private const double CrashLeadsPerSecond = 100;

    private static readonly TimeSpan CrashSla = TimeSpan.FromSeconds(15);

    private static async Task<IReadOnlyList<ScenarioResult>> CrashLoopAsync(Context context)
    {
        var directory = Path.Combine(context.Work, "crash");
        var settings = new Dictionary<string, string>
        {
            ["Local__PostsPerSecond"] = "1000",
            ["Routing__SlaMinutes"] = (CrashSla.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            ["Routing__SlaClock"] = "Always",
            ["Calendar__WorkWeek"] = "Mon-Sun",
        };
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var host = await HostProcess.StartAsync(context.Root, directory, settings);
        var url = host.Url;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var created = await LocalCommandAsync(http, url, "alex", "general",
                "/standup create name:\"Crash drill\" participants:\"role:sales\" cron:\"* * * * *\" window:5m remind:off");
            if (!created.Contains("Crash drill", StringComparison.Ordinal)) throw new InvalidOperationException("The stand-up was not created: " + created);

            var acknowledged = new ConcurrentDictionary<int, string>();
            var attempts = 0;
            var next = -1;
            var tag = Guid.NewGuid().ToString("N")[..8];
            var started = Stopwatch.StartNew();
            async Task SendAsync()
            {
                while (Interlocked.Increment(ref next) is var n && n < CrashLeads)
                {
                    // Paced: lead n leaves at n / rate seconds.
                    var due = TimeSpan.FromSeconds(n / CrashLeadsPerSecond) - started.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due);
                    while (true)
                    {
                        Interlocked.Increment(ref attempts);
                        if (await TrySendCrashLeadAsync(http, Volatile.Read(ref url), n, tag) is { } status)
                        {
                            acknowledged[n] = status;
                            break;
                        }
                        await Task.Delay(100);
                    }
                }
            }
            var senders = Enumerable.Range(0, CrashSenders).Select(_ => Task.Run(SendAsync)).ToArray();

            // Kills spread over the sending and the 2 SLA periods after it, so that they hit intake, posting and timers.
            var window = TimeSpan.FromSeconds(CrashLeads / CrashLeadsPerSecond) + 2 * CrashSla;
            var downtime = TimeSpan.Zero;
            for (var kill = 0; kill < CrashKills; kill++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, (int)(window.TotalMilliseconds / CrashKills))));
                await host.DisposeAsync(); // SIGKILL
                var down = Stopwatch.StartNew();
                host = await HostProcess.StartAsync(context.Root, directory, settings);
                Volatile.Write(ref url, host.Url);
                downtime += down.Elapsed;
            }
            await Task.WhenAll(senders);

            // Everything posted: outbox empty, no SLA timer left, every lead posted. Waits as long as posts keep going out.
            var database = Path.Combine(directory, "teambot.db");
            var (completed, progressAt, stuck) = (-1L, Stopwatch.StartNew(), 0L);
            for (var poll = 0; ; poll++)
            {
                var (left, done) = (await QueryAsync(database,
                    "SELECT (SELECT count(*) FROM outbox WHERE completed_at IS NULL) + (SELECT count(*) FROM leads WHERE posted_at IS NULL OR sla_due_at IS NOT NULL), " +
                    "(SELECT count(*) FROM outbox WHERE completed_at IS NOT NULL)",
                    r => (r.GetInt64(0), r.GetInt64(1))))[0];
                if (left == 0) break;
                if (done > completed)
                {
                    completed = done;
                    progressAt.Restart();
                }
                if (progressAt.Elapsed > TimeSpan.FromSeconds(60))
                {
                    stuck = left; // a lost timer: reported, not waited for
                    break;
                }
                if (poll % 40 == 0) Console.Error.WriteLine($"crash-loop: {done:#,0} posts out, {left:#,0} posts and timers left");
                await Task.Delay(250);
            }
            await Task.Delay(TimeSpan.FromSeconds(5));
            var seconds = clock.Elapsed.TotalSeconds;
            var peak = host.PeakRssMegabytes;
            await host.KillAsync();

            var check = await CrashCheckAsync(directory, acknowledged.Keys.ToHashSet(), tag);
            var lost = CrashLeads - acknowledged.Count;
            var duplicates = acknowledged.Values.Count(s => s == "duplicate");
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{CrashKills} SIGKILLs, {downtime.TotalSeconds:0} s down in all, {attempts:#,0} requests for {CrashLeads:#,0} leads, {duplicates} retries answered as duplicates, {seconds:0} s in all, seed {seed}");
            return
            [
                new("crash-loop", "leads acknowledged (202) while the host was killed and restarted", acknowledged.Count, "leads", null, null, null, peak,
                    summary, null, null, "all 5,000; every one stored once", lost == 0 && check.Stored == CrashLeads && check.StoredTwice == 0),
                new("crash-loop", "handoffs posted: exactly once per acknowledged lead", check.PostedOnce, "leads", null, null, null, null,
                    $"posted twice: {check.PostedTwice}; never posted: {check.NeverPosted}; posts for unknown leads: {check.Stray}", null, null,
                    "every lead once, none twice", check.PostedOnce == acknowledged.Count && check.PostedTwice == 0 && check.NeverPosted == 0 && check.Stray == 0),
                new("crash-loop", "SLA reminders and escalations (15 s SLA): once per lead", check.RemindedOnce, "leads", null, null, null, null,
                    $"reminders twice: {check.RemindedTwice}, missing: {check.NotReminded}; escalations once: {check.EscalatedOnce}, twice: {check.EscalatedTwice}, missing: {check.NotEscalated}; " +
                    $"posts and timers still due after a minute without progress: {stuck}", null, null,
                    "each once per lead", check.RemindedOnce == acknowledged.Count && check.EscalatedOnce == acknowledged.Count && stuck == 0),
                new("crash-loop", "stand-up prompts (every minute): once per occurrence", check.Prompts, "prompts", null, null, null, null,
                    $"{check.Occurrences} occurrences in {seconds:0} s, prompted twice: {check.PromptedTwice}, minutes skipped: {check.MinutesSkipped}", null, null,
                    "each occurrence once, none skipped", check.Prompts == check.Occurrences && check.PromptedTwice == 0 && check.MinutesSkipped == 0 && check.Occurrences > 0),
            ];
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Sends lead <paramref name="n"/>: its status ("accepted" or "duplicate") once acknowledged with a 202, or null to retry.</summary>
    private static async Task<string?> TrySendCrashLeadAsync(HttpClient http, string url, int n, string tag)
    {
        var body = $$"""{"externalId":"crash-{{tag}}-{{n}}","email":"crash{{n}}.{{tag}}@example.com","firstName":"Crash","lastName":"Lead {{n}}","company":"Company {{n % 500}}","source":"crash-drill"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/v1/workspaces/local/leads") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostProcess.ApiKey);
        try
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted) return null;
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
            return answer?["leads"]?[0]?["status"]?.GetValue<string>() ?? throw new InvalidOperationException("A 202 without a lead status.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null; // killed mid-request, or not listening yet
        }
    }

    /// <summary>A command in the local chat, as <paramref name="user"/>; the reply's text.</summary>
    private static async Task<string> LocalCommandAsync(HttpClient http, string url, string user, string channel, string text)
    {
        using var response = await http.PostAsJsonAsync($"{url}/api/local/channels/{channel}/messages", new { user, text });
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        return answer?["reply"]?["message"]?.ToJsonString() ?? $"({(int)response.StatusCode}) {answer?.ToJsonString()}";
    }

    private sealed record CrashCheck(
        int Stored, int StoredTwice,
        int PostedOnce, int PostedTwice, int NeverPosted, int Stray,
        int RemindedOnce, int RemindedTwice, int NotReminded,
        int EscalatedOnce, int EscalatedTwice, int NotEscalated,
        int Prompts, int Occurrences, int PromptedTwice, int MinutesSkipped);

    /// <summary>Counts, from TeamBot's store and the local chat's own, what was stored and what was posted.</summary>
    private static async Task<CrashCheck> CrashCheckAsync(string directory, HashSet<int> acknowledged, string tag)
    {
        var leads = await QueryAsync(Path.Combine(directory, "teambot.db"), $"SELECT id, external_id FROM leads WHERE external_id LIKE 'crash-{tag}-%'",
            r => (Id: r.GetInt64(0), Number: int.Parse(r.GetString(1)[$"crash-{tag}-".Length..], CultureInfo.InvariantCulture)));
        var byNumber = leads.GroupBy(l => l.Number).ToDictionary(g => g.Key, g => g.Count());
        var ids = leads.Where(l => acknowledged.Contains(l.Number)).Select(l => l.Id).ToHashSet();

        var messages = await QueryAsync(Path.Combine(directory, "localchat.db"),
            "SELECT id, channel, thread_of, text, card_json FROM messages WHERE is_bot = 1",
            r => (Id: r.GetInt64(0), Channel: r.GetString(1), ThreadOf: r.IsDBNull(2) ? (long?)null : r.GetInt64(2),
                Text: r.IsDBNull(3) ? "" : r.GetString(3), Card: r.IsDBNull(4) ? null : JsonNode.Parse(r.GetString(4))));

        // Handoff cards: top-level cards in #handoffs whose footer starts "Lead #id".
        var cards = messages
            .Where(m => m.Channel == "handoffs" && m.ThreadOf is null && m.Card?["footer"]?.GetValue<string>() is { } footer && LeadFooter().IsMatch(footer))
            .Select(m => (m.Id, Lead: long.Parse(LeadFooter().Match(m.Card!["footer"]!.GetValue<string>()).Groups[1].Value, CultureInfo.InvariantCulture)))
            .ToList();
        var postsPerLead = cards.GroupBy(c => c.Lead).ToDictionary(g => g.Key, g => g.Count());
        var threadOf = cards.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Lead);
        int Once(Dictionary<long, int> counts) => ids.Count(id => counts.GetValueOrDefault(id) == 1);
        int Twice(Dictionary<long, int> counts) => ids.Count(id => counts.GetValueOrDefault(id) > 1);
        int Never(Dictionary<long, int> counts) => ids.Count(id => counts.GetValueOrDefault(id) == 0);
        Dictionary<long, int> InThreads(string prefix) => messages
            .Where(m => m.ThreadOf is { } root && threadOf.ContainsKey(root) && m.Text.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(m => threadOf[m.ThreadOf!.Value]).ToDictionary(g => g.Key, g => g.Count());
        var reminders = InThreads("⏰");
        var escalations = InThreads("🚨");

        // Stand-up prompts: one per occurrence, told apart by their closing time ("until HH:mm"), every minute in a row.
        var prompts = messages.Where(m => m.Channel == "general" && m.ThreadOf is null && m.Text.StartsWith("🗓️ Stand-up: Crash drill", StringComparison.Ordinal))
            .Select(m => CrashPromptUntil().Match(m.Text).Groups[1].Value).ToList();
        var occurrences = prompts.Distinct().Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture)).Order().ToList();
        var skipped = occurrences.Zip(occurrences.Skip(1), (a, b) => (int)(b - a).TotalMinutes - 1).Sum();

        return new CrashCheck(
            Stored: byNumber.Count, StoredTwice: byNumber.Count(p => p.Value > 1),
            PostedOnce: Once(postsPerLead), PostedTwice: Twice(postsPerLead), NeverPosted: Never(postsPerLead), Stray: postsPerLead.Keys.Count(k => !ids.Contains(k)),
            RemindedOnce: Once(reminders), RemindedTwice: Twice(reminders), NotReminded: Never(reminders),
            EscalatedOnce: Once(escalations), EscalatedTwice: Twice(escalations), NotEscalated: Never(escalations),
            Prompts: prompts.Count, Occurrences: occurrences.Count, PromptedTwice: prompts.Count - occurrences.Count, MinutesSkipped: skipped);
    }

    [GeneratedRegex(@"\(until (\d\d:\d\d) ")]
    private static partial Regex CrashPromptUntil();
}
