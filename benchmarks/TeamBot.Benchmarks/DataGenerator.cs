using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;

namespace TeamBot.Benchmarks;

/// <summary>What a generated store holds, counted as written.</summary>
internal sealed record GeneratedStore(string Directory, int Leads, long Ratings, long Reasons, long Outcomes, long Comments, DateTimeOffset Until, TimeSpan Took)
{
    public string Database => Path.Combine(Directory, "teambot.db");

    /// <summary>Ratings, reasons and outcomes: the events the reports count.</summary>
    public long FeedbackEvents => Ratings + Reasons + Outcomes;
}

/// <summary>
/// Makes a realistic TeamBot store of any size: the real host creates and migrates it (and seeds the local workspace,
/// its people and reason list), then leads are written the way TeamBot itself would have left them after months of use:
/// routed and posted on the local chat, claimed or escalated, rated by reaction or button (some ratings taken back and
/// given again), reasons for poor and rejected leads, outcomes up to won or lost, and goals. Deterministic: the same size
/// gives the same rows, dated back from the start of the current UTC day.
/// </summary>
internal static class DataGenerator
{
    public const int Sources = 50;
    public const int Campaigns = 200;
    public const int Reps = 40;
    public const int Months = 12;
    public const string Workspace = "local";

    private const int Seed = 6;
    private const int PerTransaction = 50_000;
    private const string OpenClaim = "Open claim: the first sales rep to claim it gets it.";

    private static readonly string[] FirstNames = ["Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Mia", "Noah", "Olga", "Paul", "Rosa", "Sven", "Tara", "Yusuf"];
    private static readonly string[] LastNames = ["Adams", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lind", "Moreau", "Novak", "Olsen", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"];
    private static readonly string[] Titles = ["Head of Operations", "CTO", "Marketing Manager", "VP Sales", "IT Director", "Founder", "Procurement Lead", "Analyst"];
    private static readonly string[] Segments = ["smb", "mid-market", "enterprise"];
    private static readonly string[] Countries = ["DE", "AT", "CH", "FR", "NL", "GB", "US", "ES", "IT", "PL"];
    private static readonly (string Text, int Min)[] Sizes = [("1-10", 1), ("11-50", 11), ("51-200", 51), ("201-1000", 201), ("1000+", 1000)];
    private static readonly string[] Emoji = ["🚫", "👎", "🤷", "👍", "🔥"]; // by rating 1..5, as ReactionMap's defaults
    private static readonly string[] ReasonCodes = [.. FeedbackSettings.DefaultReasons.Select(r => r.Code)];

    /// <summary><c>generate &lt;folder&gt; [--leads N]</c>: writes a store into an empty folder.</summary>
    public static async Task<int> RunAsync(string folder, string[] args)
    {
        var at = Array.IndexOf(args, "--leads");
        var leads = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var store = await CreateAsync(Orchestrator.RepositoryRoot(), Path.GetFullPath(folder), leads);
        Console.WriteLine(Describe(store));
        return 0;
    }

    public static string Describe(GeneratedStore s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Database}: {s.Leads:N0} leads, {s.Ratings:N0} ratings, {s.Reasons:N0} reasons, {s.Outcomes:N0} outcomes, {s.Comments:N0} comments " +
        $"({s.FeedbackEvents:N0} feedback events), {Sources} sources, {Campaigns} campaigns, {Reps} reps, {Months} months to {s.Until:yyyy-MM-dd}; " +
        $"{new FileInfo(s.Database).Length / 1048576.0:N0} MB in {s.Took.TotalSeconds:N1} s");

    /// <summary>
    /// The store for <paramref name="leads"/> leads under <paramref name="cacheRoot"/>, generated once per size and day
    /// (the data is dated back from today) and reused after that.
    /// </summary>
    public static async Task<GeneratedStore> CachedAsync(string root, string cacheRoot, int leads)
    {
        var until = Today();
        var directory = Path.Combine(cacheRoot, string.Create(CultureInfo.InvariantCulture, $"store-{leads}-{until:yyyyMMdd}-v2"));
        var marker = Path.Combine(directory, "generated.txt");
        if (File.Exists(marker))
        {
            var counts = File.ReadAllText(marker).Split(',').Select(long.Parse).ToArray();
            return new GeneratedStore(directory, leads, counts[0], counts[1], counts[2], counts[3], until, TimeSpan.Zero);
        }
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        foreach (var old in Directory.Exists(cacheRoot) ? Directory.GetDirectories(cacheRoot, $"store-{leads}-*") : []) Directory.Delete(old, recursive: true);
        var store = await CreateAsync(root, directory, leads);
        File.WriteAllText(marker, string.Join(',', store.Ratings, store.Reasons, store.Outcomes, store.Comments));
        return store;
    }

    public static async Task<GeneratedStore> CreateAsync(string root, string directory, int leads)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"'{directory}' is not empty; the generator writes a new store only.");
        }
        var clock = Stopwatch.StartNew();
        // The real host creates the database, runs its migrations and seeds the local workspace, its people and reasons.
        var host = await HostProcess.StartAsync(root, directory);
        await host.DisposeAsync();

        var until = Today();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "teambot.db"), Pooling = false }.ToString());
        db.Open();
        Execute(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;");
        if (Scalar(db, "SELECT count(*) FROM leads") != 0) throw new InvalidOperationException("The new store already has leads.");

        var reps = AddReps(db);
        var writer = new Writer(db, reps, until);
        writer.AddLeads(leads);
        AddGoals(db, reps, until);
        Execute(db, "PRAGMA wal_checkpoint(TRUNCATE);");
        return new GeneratedStore(directory, leads, writer.Ratings, writer.Reasons, writer.Outcomes, writer.Comments, until, clock.Elapsed);
    }

    private static DateTimeOffset Today() => new(DateTime.UtcNow.Date, TimeSpan.Zero);

    /// <summary>Forty sales reps, as <c>people</c> rows like the ones the local chat's configuration creates.</summary>
    private static long[] AddReps(SqliteConnection db)
    {
        using var transaction = db.BeginTransaction();
        using var insert = db.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO people (workspace_id, platform_user_id, display_name, email, roles, time_zone, work_start_minutes, work_end_minutes, work_days)
            VALUES ('local', $user, $name, $email, 1, 'Europe/Berlin', 540, 1080, 62) RETURNING id
            """;
        var ids = new long[Reps];
        for (var i = 0; i < Reps; i++)
        {
            var (first, last) = (FirstNames[i % FirstNames.Length], LastNames[(i * 7 + 3) % LastNames.Length]);
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$user", string.Create(CultureInfo.InvariantCulture, $"rep{i + 1:00}"));
            insert.Parameters.AddWithValue("$name", $"{first} {last}");
            insert.Parameters.AddWithValue("$email", string.Create(CultureInfo.InvariantCulture, $"rep{i + 1:00}@example.com"));
            ids[i] = (long)insert.ExecuteScalar()!;
        }
        transaction.Commit();
        return ids;
    }

    /// <summary>Goals as <c>/goal add</c> writes them: this month's and quarter's, last quarter's (ended), a manual one with updates.</summary>
    private static void AddGoals(SqliteConnection db, long[] reps, DateTimeOffset until)
    {
        var today = DateOnly.FromDateTime(until.UtcDateTime);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var admin = Scalar(db, "SELECT id FROM people WHERE platform_user_id = 'alex'");
        (string Name, string Metric, decimal Target, decimal? Start, DateOnly First, DateOnly Last)[] goals =
        [
            ("Handoffs this month", "handoffs", 90_000, null, month, month.AddMonths(1).AddDays(-1)),
            ("SQLs this quarter", "sqls", 120_000, null, quarter, quarter.AddMonths(3).AddDays(-1)),
            ("Meetings this quarter", "meetings", 60_000, null, quarter, quarter.AddMonths(3).AddDays(-1)),
            ("Won revenue this quarter", "won-revenue", 150_000_000, null, quarter, quarter.AddMonths(3).AddDays(-1)),
            ("Lead-to-meeting rate", "meeting-rate", 0.2m, null, quarter, quarter.AddMonths(3).AddDays(-1)),
            ("Claim within 10 minutes", "speed-to-claim", 600, null, month, month.AddMonths(1).AddDays(-1)),
            ("Last quarter's SQLs", "sqls", 110_000, null, quarter.AddMonths(-3), quarter.AddDays(-1)),
            ("Pipeline in the CRM", "manual", 2_000_000, 250_000, quarter, quarter.AddMonths(3).AddDays(-1)),
        ];
        using var transaction = db.BeginTransaction();
        using var insert = db.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO goals (workspace_id, name, metric, target, start_value, first_day, last_day, owner_ids, created_by_id, created_at)
            VALUES ('local', $name, $metric, $target, $start, $first, $last, $owners, $by, $at) RETURNING id
            """;
        using var update = db.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "INSERT INTO goal_updates (goal_id, value, person_id, note, at) VALUES ($goal, $value, $person, NULL, $at)";
        for (var i = 0; i < goals.Length; i++)
        {
            var g = goals[i];
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$name", g.Name);
            insert.Parameters.AddWithValue("$metric", g.Metric);
            insert.Parameters.AddWithValue("$target", g.Target);
            insert.Parameters.AddWithValue("$start", (object?)g.Start ?? DBNull.Value);
            insert.Parameters.AddWithValue("$first", g.First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$last", g.Last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$owners", string.Join(',', reps[i], reps[i + 10]));
            insert.Parameters.AddWithValue("$by", admin);
            insert.Parameters.AddWithValue("$at", new DateTimeOffset(g.First.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds());
            var id = (long)insert.ExecuteScalar()!;
            if (g.Metric != "manual") continue;
            for (var week = 1; week <= 6; week++)
            {
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$goal", id);
                update.Parameters.AddWithValue("$value", 250_000m + week * 120_000m);
                update.Parameters.AddWithValue("$person", admin);
                update.Parameters.AddWithValue("$at", (until - TimeSpan.FromDays(7 * (7 - week))).ToUnixTimeMilliseconds());
                update.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>One prepared INSERT per table, executed in large transactions.</summary>
    private sealed class Writer
    {
        private readonly SqliteConnection _db;
        private readonly long[] _reps;
        private readonly DateTimeOffset _until;
        private readonly Random _random = new(Seed);
        private readonly Statement _lead;
        private readonly Statement _posted;
        private readonly Statement _assignment;
        private readonly Statement _rating;
        private readonly Statement _reason;
        private readonly Statement _outcome;
        private readonly Statement _comment;

        // Each source has its own quality (how reps rate its leads) and volume; campaigns belong to sources.
        private readonly double[] _sourceQuality;
        private readonly double[] _sourceWeight;

        public Writer(SqliteConnection db, long[] reps, DateTimeOffset until)
        {
            _db = db;
            _reps = reps;
            _until = until;
            _lead = new Statement(db, """
                INSERT INTO leads (id, workspace_id, email, first_name, last_name, company, title, phone, source, campaign, segment, country,
                  company_size, company_size_min, score, dedupe_key, received_at, via, route_place, route_reason, routed_at, reroutes,
                  claimed_by_id, claimed_at, handoff_platform, handoff_place, handoff_message_id, thread_place, posted_at, sla_due_at, sla_stage, stage)
                VALUES ($id, 'local', $email, $first, $last, $company, $title, $phone, $source, $campaign, $segment, $country,
                  $size, $sizemin, $score, $dedupe, $received, $via, 'handoffs', $routereason, $routed, 0,
                  $claimedby, $claimedat, 'local', 'handoffs', $message, $thread, $posted, $sladue, $slastage, $stage)
                """);
            _posted = new Statement(db, "INSERT INTO posted_messages (platform, workspace_id, place_id, message_id, kind, lead_id) VALUES ('local', 'local', 'handoffs', $message, 0, $lead)");
            _assignment = new Statement(db, "INSERT INTO assignments (lead_id, kind, person_id, reason, at) VALUES ($lead, $kind, $person, $reason, $at)");
            _rating = new Statement(db, "INSERT INTO ratings (lead_id, person_id, rating, source, emoji, at, retracted_at) VALUES ($lead, $person, $rating, $source, $emoji, $at, $retracted)");
            _reason = new Statement(db, "INSERT INTO reasons (lead_id, person_id, code, note, at) VALUES ($lead, $person, $code, $note, $at)");
            _outcome = new Statement(db, "INSERT INTO outcomes (lead_id, person_id, stage, amount, note, at) VALUES ($lead, $person, $stage, $amount, NULL, $at)");
            _comment = new Statement(db, "INSERT INTO comments (lead_id, person_id, text, message_id, at) VALUES ($lead, $person, $text, $message, $at)");
            _sourceQuality = [.. Enumerable.Range(0, Sources).Select(_ => 2.2 + _random.NextDouble() * 2.4)];
            _sourceWeight = [.. Enumerable.Range(0, Sources).Select(s => 1.0 / (1 + s * 0.15))];
        }

        public long Ratings { get; private set; }
        public long Reasons { get; private set; }
        public long Outcomes { get; private set; }
        public long Comments { get; private set; }

        public void AddLeads(int count)
        {
            var from = _until.AddMonths(-Months);
            var span = (_until - from).TotalMilliseconds;
            var cumulative = Cumulative(_sourceWeight);
            SqliteTransaction? transaction = null;
            for (var n = 0; n < count; n++)
            {
                if (n % PerTransaction == 0)
                {
                    transaction?.Commit();
                    transaction?.Dispose();
                    transaction = _db.BeginTransaction();
                    foreach (var s in new[] { _lead, _posted, _assignment, _rating, _reason, _outcome, _comment }) s.Command.Transaction = transaction;
                }
                // Evenly spread in time, ids in arrival order, as the webhook writes them.
                var received = from.AddMilliseconds(span * (n + _random.NextDouble()) / count);
                AddLead(n + 1, received, Pick(cumulative));
            }
            transaction?.Commit();
            transaction?.Dispose();
        }

        private void AddLead(long id, DateTimeOffset received, int source)
        {
            var r = _random;
            var campaign = source + Sources * r.Next(Campaigns / Sources);
            var (first, last) = (FirstNames[r.Next(FirstNames.Length)], LastNames[r.Next(LastNames.Length)]);
            var company = string.Create(CultureInfo.InvariantCulture, $"Company {r.Next(20_000)}");
            var email = string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{id}@example.com").ToLowerInvariant();
            var size = Sizes[r.Next(Sizes.Length)];
            var routed = received.AddMilliseconds(50 + r.Next(400));
            var posted = routed.AddMilliseconds(20 + r.Next(200));
            var message = id.ToString(CultureInfo.InvariantCulture);

            // 88% are claimed, most within minutes of the post (log-normal, median about 6 minutes); the rest escalate.
            var recent = _until - posted < TimeSpan.FromHours(1);
            var claimed = r.NextDouble() < 0.88 && !recent;
            var claimer = _reps[r.Next(_reps.Length)];
            var claimedAt = posted.AddSeconds(Math.Min(3 * 86_400, Math.Exp(5.9 + 1.1 * Normal(r))));
            var quality = Math.Clamp(_sourceQuality[source] + 0.8 * Normal(r), 1, 5);

            // Outcomes follow the rep's view of the lead: better leads reach meetings and deals more often.
            var stages = new List<(int Stage, DateTimeOffset At, decimal? Amount)>();
            if (claimed && r.NextDouble() < 0.7)
            {
                var at = claimedAt.AddHours(2 + r.Next(48));
                stages.Add(((int)LeadStage.Contacted, at, null));
                if (r.NextDouble() < quality / 10)
                {
                    at = at.AddDays(1 + r.Next(10));
                    stages.Add(((int)LeadStage.Meeting, at, null));
                    if (r.NextDouble() < 0.45)
                    {
                        at = at.AddDays(3 + r.Next(20));
                        stages.Add(((int)LeadStage.Opportunity, at, null));
                        at = at.AddDays(7 + r.Next(40));
                        stages.Add(r.NextDouble() < 0.4 ? ((int)LeadStage.Won, at, 500m + r.Next(100_000)) : ((int)LeadStage.Lost, at, null));
                    }
                    else if (r.NextDouble() < 0.5)
                    {
                        stages.Add(((int)LeadStage.Lost, at.AddDays(2 + r.Next(10)), null));
                    }
                }
            }
            stages.RemoveAll(s => s.At > _until);

            var p = _lead.Parameters;
            p[0].Value = id;
            p[1].Value = email;
            p[2].Value = first;
            p[3].Value = last;
            p[4].Value = company;
            p[5].Value = Titles[r.Next(Titles.Length)];
            p[6].Value = r.NextDouble() < 0.6 ? string.Create(CultureInfo.InvariantCulture, $"+49 30 {r.Next(1_000_000, 9_999_999)}") : DBNull.Value;
            p[7].Value = string.Create(CultureInfo.InvariantCulture, $"source-{source:00}");
            p[8].Value = string.Create(CultureInfo.InvariantCulture, $"campaign-{campaign:000}");
            p[9].Value = Segments[r.Next(Segments.Length)];
            p[10].Value = Countries[r.Next(Countries.Length)];
            p[11].Value = size.Text;
            p[12].Value = size.Min;
            p[13].Value = Math.Round((decimal)(r.NextDouble() * 100), 1);
            p[14].Value = LeadIdentity.DedupeKey(email, company);
            p[15].Value = received.ToUnixTimeMilliseconds();
            p[16].Value = r.NextDouble() < 0.95 ? (int)IntakeChannel.Webhook : (int)IntakeChannel.Csv;
            p[17].Value = OpenClaim;
            p[18].Value = routed.ToUnixTimeMilliseconds();
            p[19].Value = claimed ? claimer : DBNull.Value;
            p[20].Value = claimed ? claimedAt.ToUnixTimeMilliseconds() : DBNull.Value;
            p[21].Value = message;
            p[22].Value = "thread-" + message;
            p[23].Value = posted.ToUnixTimeMilliseconds();
            // A claim stops the SLA clock; an unclaimed lead was reminded and escalated, unless it is still waiting.
            p[24].Value = !claimed && recent ? posted.AddMinutes(15).ToUnixTimeMilliseconds() : DBNull.Value;
            p[25].Value = claimed || recent ? 0 : 2;
            p[26].Value = stages.Count == 0 ? (int)LeadStage.New : stages[^1].Stage;
            _lead.Command.ExecuteNonQuery();

            _posted.Run(message, id);
            _assignment.Run(id, (int)AssignmentKind.Routed, DBNull.Value, OpenClaim, routed.ToUnixTimeMilliseconds());
            if (claimed)
            {
                var kind = r.NextDouble() < 0.6 ? AssignmentKind.ClaimedByReaction : AssignmentKind.Claimed;
                _assignment.Run(id, (int)kind, claimer, "Claimed.", claimedAt.ToUnixTimeMilliseconds());
            }
            else if (!recent)
            {
                _assignment.Run(id, (int)AssignmentKind.Reminded, DBNull.Value, "SLA reminder after 15 minutes without a claim.", posted.AddMinutes(15).ToUnixTimeMilliseconds());
                _assignment.Run(id, (int)AssignmentKind.Escalated, DBNull.Value, "Escalated to the admins after 30 minutes without a claim.", posted.AddMinutes(30).ToUnixTimeMilliseconds());
            }

            AddFeedback(id, claimed ? claimer : null, posted, quality);
            foreach (var (stage, at, amount) in stages)
            {
                _outcome.Run(id, claimer, stage, (object?)amount ?? DBNull.Value, at.ToUnixTimeMilliseconds());
                Outcomes++;
            }
        }

        /// <summary>The claimer usually rates, other reps sometimes; a poor or reject rating usually comes with a reason.</summary>
        private void AddFeedback(long lead, long? claimer, DateTimeOffset posted, double quality)
        {
            var r = _random;
            var raters = new List<long>(3);
            if (claimer is { } c && r.NextDouble() < 0.85) raters.Add(c);
            while (raters.Count < 3 && r.NextDouble() < 0.55)
            {
                var other = _reps[r.Next(_reps.Length)];
                if (!raters.Contains(other)) raters.Add(other);
            }
            foreach (var person in raters)
            {
                var at = posted.AddSeconds(30 + Math.Exp(6 + 1.2 * Normal(r)));
                if (at > _until) continue;
                var rating = Rate(quality);
                var byReaction = r.NextDouble() < 0.7;
                if (r.NextDouble() < 0.06)
                {
                    // Changed their mind: the first reaction is taken back, or a button press is simply replaced.
                    var changed = at.AddMinutes(1 + r.Next(120));
                    var before = Rate(quality);
                    _rating.Run(lead, person, before, byReaction ? (int)FeedbackSource.Reaction : (int)FeedbackSource.Button,
                        byReaction ? Emoji[before - 1] : DBNull.Value, at.ToUnixTimeMilliseconds(), byReaction ? changed.ToUnixTimeMilliseconds() : DBNull.Value);
                    Ratings++;
                    at = changed.AddSeconds(5);
                }
                _rating.Run(lead, person, rating, byReaction ? (int)FeedbackSource.Reaction : (int)FeedbackSource.Button,
                    byReaction ? Emoji[rating - 1] : DBNull.Value, at.ToUnixTimeMilliseconds(), DBNull.Value);
                Ratings++;
                if (TeamBot.Core.Feedback.Ratings.NeedsReason((Rating)rating) && r.NextDouble() < 0.9)
                {
                    var code = ReasonCodes[Math.Min(ReasonCodes.Length - 1, (int)(Math.Abs(Normal(r)) * 2.2))];
                    _reason.Run(lead, person, code, code == FeedbackSettings.OtherCode ? "Asked to be removed from the list" : DBNull.Value, at.AddSeconds(40).ToUnixTimeMilliseconds());
                    Reasons++;
                }
                if (r.NextDouble() < 0.08)
                {
                    _comment.Run(lead, person, "Called, left a voicemail; trying again tomorrow.", string.Create(CultureInfo.InvariantCulture, $"c{lead}-{person}"), at.AddMinutes(3).ToUnixTimeMilliseconds());
                    Comments++;
                }
            }
        }

        private int Rate(double quality) => Math.Clamp((int)Math.Round(quality + 0.9 * Normal(_random)), 1, 5);

        private int Pick(double[] cumulative)
        {
            var x = _random.NextDouble() * cumulative[^1];
            var at = Array.BinarySearch(cumulative, x);
            return Math.Min(cumulative.Length - 1, at < 0 ? ~at : at);
        }

        private static double[] Cumulative(double[] weights)
        {
            var sum = 0.0;
            return [.. weights.Select(w => sum += w)];
        }

        private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
    }

    /// <summary>A prepared INSERT whose parameters are named in its SQL, in order.</summary>
    private sealed class Statement
    {
        public Statement(SqliteConnection db, string sql)
        {
            Command = db.CreateCommand();
            Command.CommandText = sql;
            var names = System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+").Select(m => m.Value).Distinct();
            Parameters = [.. names.Select(name => Command.Parameters.Add(new SqliteParameter { ParameterName = name }))];
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter[] Parameters { get; }

        public void Run(params object[] values)
        {
            for (var i = 0; i < values.Length; i++) Parameters[i].Value = values[i];
            Command.ExecuteNonQuery();
        }
    }
}
