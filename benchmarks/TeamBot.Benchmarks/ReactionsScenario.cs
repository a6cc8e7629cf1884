using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TeamBot.Benchmarks;

internal static partial class Orchestrator
{
    private const int ReactionLeads = 50;
    private const int ReactionGuilds = 10;
    private const double ReactionRate = 5000;
    private const ulong FirstReactor = 401_000_000_000_000_000;

    /// <summary>
    /// Target 5: handoffs posted first (50 leads, 5 in each of 10 guilds, so that TeamBot's pace of 5 posts per 5 s per
    /// channel does not hold them back; the fake's rate limits lifted), then the fake gateway sends MESSAGE_REACTION_ADD
    /// events from sales reps on one shard, each a new rating, while this process watches TeamBot's SQLite file for the
    /// committed <c>ratings</c> rows. First every rep reacts once in every guild (their person rows are made then); then two runs of <c>--seconds</c> × 5,000 events: as fast as the fake sends them
    /// (throughput: events / (last row seen - first event sent)), and paced at 5,000 per second (latency: each event sent
    /// to its row seen). Rows are seen by polling a read-only connection on a monotonic clock: a row counts as seen at the
    /// start of the first poll that returns it (never before its commit), so the resolution is one poll interval, whose median is reported.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> ReactionsAsync(Context context)
    {
        await using var bench = await StartDiscordAsync(context, "reactions", TimeProvider.System, documentedLimits: false, guilds: ReactionGuilds);
        await SendDiscordLeadsAsync(bench, ReactionLeads, Guid.NewGuid().ToString("N")[..8]);
        await UntilAsync(() => bench.HandoffPosts().Count >= ReactionLeads, TimeSpan.FromSeconds(120), "the handoffs are posted");
        var cards = bench.Discord.Rest.Messages
            .Select(m => (Lead: LeadNumber(m), Channel: ulong.Parse(m["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                Message: ulong.Parse(m["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)))
            .Where(c => c.Lead is not null).Select(c => new Card(c.Lead!.Value, c.Channel, c.Message)).OrderBy(c => c.Lead).ToList();
        var count = (int)(ReactionRate * context.Seconds);
        var reactors = (count + ReactionLeads - 1) / ReactionLeads;

        await using var watcher = await RatingWatcher.StartAsync(bench.Database);
        var firsts = cards.GroupBy(c => c.Guild).Select(g => g.First()).ToList();
        var warmup = await ReactAsync(bench, watcher, Reactions(firsts, reactors, firsts.Count * reactors, "🤷"), rate: 0);
        var burst = await ReactAsync(bench, watcher, Reactions(cards, reactors, count, "🔥"), rate: 0);
        var paced = await ReactAsync(bench, watcher, Reactions(cards, reactors, count, "👍"), ReactionRate);
        var resolution = watcher.MedianPollMs;
        WriteTimeline(context.Root, "reactions-paced", $"sent_ms,latency_ms,{paced.FirstSent}", paced.Timeline.Select(t => FormattableString.Invariant($"{t.SentMs:0.000},{t.LatencyMs:0.000}")));
        var rss = bench.Host.PeakRssMegabytes;
        var what = $"{count:#,0} MESSAGE_REACTION_ADD on {ReactionLeads} handoffs in {ReactionGuilds} guilds from {reactors} reps (warm-up: {warmup.Seen:#,0} rows)";
        return
        [
            new("reactions", $"gateway events to committed ratings, sent as fast as the fake can: {what}; {burst.Seen:#,0} rows seen; host CPU {burst.HostCpuMsPerEvent:0.00} ms per event; {burst.CardEdits:#,0} card edits",
                burst.EventsPerSecond, "events/s", burst.P(0.50), burst.P(0.95), burst.P(0.99), rss,
                "fake gateway's send rate", burst.SentPerSecond, burst.EventsPerSecond / burst.SentPerSecond,
                ">= 5,000 events/s", burst.Seen == count && burst.EventsPerSecond >= 5000),
            new("reactions", $"per event, gateway send to row seen, paced at {ReactionRate:#,0}/s: {what}; {paced.Seen:#,0} rows seen; host CPU {paced.HostCpuMsPerEvent:0.00} ms per event; {paced.CardEdits:#,0} card edits",
                paced.EventsPerSecond, "events/s", paced.P(0.50), paced.P(0.95), paced.P(0.99), null,
                "poll resolution (median ms)", resolution, null,
                "p99 < 20 ms", paced.Seen == count && paced.P(0.99) < 20),
        ];
    }

    /// <summary>A handoff card: its lead, and where Discord has it.</summary>
    private sealed record Card(long Lead, ulong Channel, ulong Message)
    {
        public ulong Guild => BenchGuild + (Channel - BenchChannel);
    }

    private sealed record Reaction(Card Card, ulong User, string Emoji)
    {
        public (long Lead, ulong User, string Emoji) Key => (Card.Lead, User, Emoji);
    }

    /// <summary>What one run of reactions gave: latencies in ms (sent to seen), sorted.</summary>
    /// <param name="Seen">Rows seen (of the events sent).</param>
    /// <param name="EventsPerSecond">Rows seen / (last row seen - first event sent).</param>
    /// <param name="SentPerSecond">How fast the fake sent the events.</param>
    /// <param name="HostCpuMsPerEvent">The host's CPU time (user + system) from the first event sent to the last row seen, per row:
    /// less disturbed than throughput when other work shares the machine.</param>
    /// <param name="Latencies">Each event's time from sent to its row seen, in ms, sorted.</param>
    /// <param name="Timeline">Each seen event in the order sent: when it was sent (ms after the first) and its latency.</param>
    /// <param name="FirstSent">When the first was sent (<see cref="Stopwatch"/> timestamp, the machine's monotonic clock).</param>
    /// <param name="CardEdits">The handoff cards' redraws Discord received (message edits) from the first event sent until the last row was seen.</param>
    private sealed record ReactionRun(int Seen, double EventsPerSecond, double SentPerSecond, double HostCpuMsPerEvent, double[] Latencies,
        (double SentMs, double LatencyMs)[] Timeline, long FirstSent, int CardEdits)
    {
        public double? P(double p) => Latencies.Length == 0 ? null : LoadGenerator.Percentile(Latencies, p);
    }

    /// <summary><paramref name="count"/> reactions with <paramref name="emoji"/>: round the handoffs, each time by the next rep.</summary>
    private static List<Reaction> Reactions(List<Card> cards, int reactors, int count, string emoji) =>
        [.. Enumerable.Range(0, count).Select(i => new Reaction(cards[i % cards.Count], FirstReactor + (ulong)(i / cards.Count % reactors), emoji))];

    /// <summary>Sends the reactions (as fast as possible when <paramref name="rate"/> is 0) and waits for their rows.</summary>
    private static async Task<ReactionRun> ReactAsync(DiscordBench bench, RatingWatcher watcher, List<Reaction> reactions, double rate)
    {
        var sent = new long[reactions.Count];
        var edits = CardEdits(bench);
        var cpu = CpuTime(bench.Host.ProcessId);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < reactions.Count;)
        {
            if (rate > 0 && Stopwatch.GetTimestamp() < start + (long)(i * Stopwatch.Frequency / rate))
            {
                await Task.Delay(1);
                continue;
            }
            var r = reactions[i];
            sent[i] = Stopwatch.GetTimestamp();
            await bench.Discord.ReactAsync(r.Card.Guild, r.Card.Channel, r.Card.Message, r.Emoji, r.User, roles: [BenchSalesRole]);
            i++;
        }
        var sending = Stopwatch.GetElapsedTime(sent[0], Stopwatch.GetTimestamp());
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (reactions.Any(r => !watcher.Seen.ContainsKey(r.Key)) && DateTime.UtcNow < until) await Task.Delay(50);
        cpu = CpuTime(bench.Host.ProcessId) - cpu;
        edits = CardEdits(bench) - edits;

        var latencies = new List<double>(reactions.Count);
        var timeline = new List<(double, double)>(reactions.Count);
        var last = 0L;
        for (var i = 0; i < reactions.Count; i++)
        {
            if (!watcher.Seen.TryGetValue(reactions[i].Key, out var seen)) continue;
            var latency = Stopwatch.GetElapsedTime(sent[i], seen).TotalMilliseconds;
            latencies.Add(latency);
            timeline.Add((Stopwatch.GetElapsedTime(sent[0], sent[i]).TotalMilliseconds, latency));
            last = Math.Max(last, seen);
        }
        var span = Stopwatch.GetElapsedTime(sent[0], last).TotalSeconds;
        return new ReactionRun(latencies.Count, latencies.Count / span, reactions.Count / sending.TotalSeconds, cpu.TotalMilliseconds / Math.Max(1, latencies.Count),
            [.. latencies.Order()], [.. timeline], sent[0], edits);
    }

    /// <summary>The message edits the fake Discord has answered so far.</summary>
    private static int CardEdits(DiscordBench bench) =>
        bench.Discord.Rest.Requests.Count(r => r.Method == "PATCH" && r.Path.Contains("/messages/", StringComparison.Ordinal) && r.Status == 200);

    /// <summary>A process's CPU time so far (utime + stime in /proc/&lt;pid&gt;/stat, in clock ticks of 10 ms).</summary>
    private static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
    }

    /// <summary>Polls TeamBot's ratings on a read-only connection and notes when each (lead, user, emoji) was first seen.</summary>
    private sealed class RatingWatcher : IAsyncDisposable
    {
        private readonly SqliteConnection _db;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<double> _polls = [];
        private Task _loop = Task.CompletedTask;

        private RatingWatcher(SqliteConnection db) => _db = db;

        /// <summary>When each rating was first seen, as a <see cref="Stopwatch"/> timestamp.</summary>
        public ConcurrentDictionary<(long Lead, ulong User, string Emoji), long> Seen { get; } = new();

        public double MedianPollMs
        {
            get
            {
                lock (_polls) return _polls.Count == 0 ? 0 : _polls.Order().ElementAt(_polls.Count / 2);
            }
        }

        public static async Task<RatingWatcher> StartAsync(string database)
        {
            var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await db.OpenAsync();
            var watcher = new RatingWatcher(db);
            watcher._loop = Task.Factory.StartNew(watcher.Poll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return watcher;
        }

        /// <summary>
        /// Polls on a thread of its own, synchronously, with a 1 ms sleep between polls: on the thread pool (a Task.Delay(1)
        /// between asynchronous polls) the load generator's own work stretched the interval to a median of 4-5 ms, and a
        /// row counts as seen only at the start of the first poll that returns it, so the interval is added to latencies.
        /// </summary>
        private void Poll()
        {
            using var command = _db.CreateCommand();
            command.CommandText = "SELECT r.id, r.lead_id, p.platform_user_id, r.emoji FROM ratings r JOIN people p ON p.id = r.person_id WHERE r.id > $last ORDER BY r.id";
            var last = command.Parameters.Add("$last", SqliteType.Integer);
            last.Value = 0L;
            var previous = Stopwatch.GetTimestamp();
            while (!_stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        last.Value = reader.GetInt64(0);
                        Seen.TryAdd((reader.GetInt64(1), ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.IsDBNull(3) ? "" : reader.GetString(3)), started);
                    }
                }
                lock (_polls) _polls.Add(Stopwatch.GetElapsedTime(previous, started).TotalMilliseconds);
                previous = started;
                Thread.Sleep(1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await _db.DisposeAsync();
            _stop.Dispose();
        }
    }
}
