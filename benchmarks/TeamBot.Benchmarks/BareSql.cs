using System.Globalization;
using Microsoft.Data.Sqlite;
using TeamBot.Core.Workspaces;

namespace TeamBot.Benchmarks;

/// <summary>
/// The report numbers in hand-written SQL on the store's file, with TeamBot's definitions: a rep's current rating is their
/// latest one not taken back; a reason counts while its rep rates the lead poor or reject; won is the latest outcome;
/// speed to claim is from arrival to claim; medians are the mean of the middle two, the 95th percentile nearest-rank. The
/// limit the app's reports are held against.
/// </summary>
internal static class BareSql
{
    /// <summary>The figures of one group in one of the two periods (<see cref="Current"/> or the one before).</summary>
    internal sealed record Group(
        bool Current, string Key, int Leads, int Claimed, int Rated, double? AverageRating, int Rejected, int Meetings, int Opportunities,
        int Won, decimal WonAmount, int Sqls, double? MedianSeconds, double? P95Seconds, IReadOnlyList<(string Code, int Count)> TopReasons)
    {
        // Kept for the totals, which are summed from the groups.
        internal long RatingSum { get; init; }
        internal long RatingCount { get; init; }
        internal IReadOnlyDictionary<string, int> Reasons { get; init; } = new Dictionary<string, int>();
        internal IReadOnlyList<double> Speeds { get; init; } = [];
    }

    internal sealed record GoalValue(long GoalId, decimal? Value);

    /// <summary>Quality figures for leads received in [previousFrom, from) and [from, to), grouped by <paramref name="key"/> (a column of <c>l</c>).</summary>
    public static IReadOnlyList<Group> Quality(SqliteConnection db, string key, DateTimeOffset previousFrom, DateTimeOffset from, DateTimeOffset to, int sqlRating = 4)
    {
        // Every query starts from the leads of the two periods (their workspace and arrival index) and reaches the other
        // tables through their lead_id indexes, so that SQLite's plan does not depend on statistics it has not gathered.
        var leads = $"FROM leads l WHERE l.workspace_id = 'local' AND l.received_at >= $previous AND l.received_at < $to";
        var group = $"l.received_at >= $from AS cur, coalesce({key}, '(none)') AS k";
        // Each rep's current rating: SQLite takes the other columns from the row with the max(); ties on time do not occur here.
        var current = $"SELECT r.lead_id, r.person_id, r.rating, {group}, max(r.at) {leads.Replace("WHERE", "JOIN ratings r ON r.lead_id = l.id WHERE r.retracted_at IS NULL AND", StringComparison.Ordinal)} GROUP BY r.lead_id, r.person_id";
        var figures = $"SELECT {group}, count(*), count(l.claimed_at) {leads} GROUP BY 1, 2";
        var rated = $"""
            SELECT cur, k, count(*), sum(s), sum(c), sum(rejected), sum(s >= $sql * c)
            FROM (SELECT lead_id, cur, k, sum(rating) AS s, count(*) AS c, max(rating = 1) AS rejected FROM ({current}) GROUP BY lead_id) GROUP BY 1, 2
            """;
        var outcomes = $"""
            SELECT cur, k, sum(m), sum(op), sum(ls = 4), sum(CASE WHEN ls = 4 THEN coalesce(CAST(la AS REAL), 0) ELSE 0 END)
            FROM (SELECT {group}, max(o.stage IN (2, 3, 4)) AS m, max(o.stage IN (3, 4)) AS op,
                    (SELECT o2.stage FROM outcomes o2 WHERE o2.lead_id = l.id ORDER BY o2.at DESC, o2.id DESC LIMIT 1) AS ls,
                    (SELECT o2.amount FROM outcomes o2 WHERE o2.lead_id = l.id ORDER BY o2.at DESC, o2.id DESC LIMIT 1) AS la
                  {leads.Replace("WHERE", "JOIN outcomes o ON o.lead_id = l.id WHERE", StringComparison.Ordinal)} GROUP BY l.id)
            GROUP BY 1, 2
            """;
        var reasons = $"""
            SELECT cr.cur, cr.k, rs.code, count(DISTINCT rs.lead_id)
            FROM ({current}) cr JOIN reasons rs ON rs.lead_id = cr.lead_id AND rs.person_id = cr.person_id
            WHERE cr.rating IN (1, 2) GROUP BY 1, 2, 3
            """;
        var speeds = $"SELECT {group}, max(0, (l.claimed_at - l.received_at) / 1000.0) AS s {leads} AND l.claimed_at IS NOT NULL ORDER BY 1, 2, 3";

        var reasonCounts = new Dictionary<(bool, string), Dictionary<string, int>>();
        foreach (var row in Read(db, reasons, previousFrom, from, to, sqlRating))
        {
            var at = ((long)row[0] == 1, (string)row[1]);
            if (!reasonCounts.TryGetValue(at, out var counts)) reasonCounts[at] = counts = [];
            counts[(string)row[2]] = (int)(long)row[3];
        }
        var speedLists = new Dictionary<(bool, string), List<double>>();
        foreach (var row in Read(db, speeds, previousFrom, from, to, sqlRating))
        {
            var at = ((long)row[0] == 1, (string)row[1]);
            if (!speedLists.TryGetValue(at, out var list)) speedLists[at] = list = [];
            list.Add(Convert.ToDouble(row[2], CultureInfo.InvariantCulture));
        }
        var ratingFigures = Read(db, rated, previousFrom, from, to, sqlRating).ToDictionary(r => ((long)r[0] == 1, (string)r[1]));
        var outcomeFigures = Read(db, outcomes, previousFrom, from, to, sqlRating).ToDictionary(r => ((long)r[0] == 1, (string)r[1]));
        var groups = new List<Group>();
        foreach (var row in Read(db, figures, previousFrom, from, to, sqlRating))
        {
            var at = ((long)row[0] == 1, (string)row[1]);
            var r = ratingFigures.GetValueOrDefault(at) ?? new object[7];
            var o = outcomeFigures.GetValueOrDefault(at) ?? new object[6];
            var (ratingSum, ratingCount) = (r[3] is long s ? s : 0, r[4] is long c ? c : 0);
            var reasonsHere = reasonCounts.GetValueOrDefault(at) ?? [];
            var speedsHere = speedLists.GetValueOrDefault(at) ?? [];
            groups.Add(new Group(at.Item1, at.Item2, Int(row[2]), Int(row[3]), Int(r[2]), Average(ratingSum, ratingCount), Int(r[5]), Int(o[2]),
                Int(o[3]), Int(o[4]), (decimal)(o[5] is double amount ? amount : 0), Int(r[6]),
                Median(speedsHere), Percentile(speedsHere, 0.95), Top(reasonsHere))
            {
                RatingSum = ratingSum,
                RatingCount = ratingCount,
                Reasons = reasonsHere,
                Speeds = speedsHere,
            });
        }
        return groups;
    }

    /// <summary>All groups of one period together.</summary>
    public static Group Total(IReadOnlyList<Group> groups)
    {
        var reasons = groups.SelectMany(g => g.Reasons).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        var speeds = groups.SelectMany(g => g.Speeds).Order().ToList();
        var (sum, count) = (groups.Sum(g => g.RatingSum), groups.Sum(g => g.RatingCount));
        return new Group(groups.Count == 0 || groups[0].Current, "all", groups.Sum(g => g.Leads), groups.Sum(g => g.Claimed), groups.Sum(g => g.Rated),
            Average(sum, count), groups.Sum(g => g.Rejected), groups.Sum(g => g.Meetings), groups.Sum(g => g.Opportunities), groups.Sum(g => g.Won),
            groups.Sum(g => g.WonAmount), groups.Sum(g => g.Sqls), Median(speeds), Percentile(speeds, 0.95), Top(reasons));
    }

    /// <summary>Every active goal's value as it stands at <paramref name="asOf"/>, in goal id order.</summary>
    public static IReadOnlyList<GoalValue> Goals(SqliteConnection db, Workspace workspace, DateTimeOffset asOf, int sqlRating = 4)
    {
        var goals = Read(db, "SELECT id, metric, first_day, last_day, start_value FROM goals WHERE workspace_id = 'local' AND archived_at IS NULL ORDER BY id",
                default, default, default, sqlRating)
            .Select(r => (Id: (long)r[0], Metric: (string)r[1], First: DateOnly.Parse((string)r[2], CultureInfo.InvariantCulture),
                Last: DateOnly.Parse((string)r[3], CultureInfo.InvariantCulture), Start: r[4] is string s ? decimal.Parse(s, CultureInfo.InvariantCulture) : (decimal?)null))
            .ToList();
        var periods = new Dictionary<(DateOnly, DateOnly), Group?>();
        var values = new List<GoalValue>();
        foreach (var goal in goals)
        {
            if (goal.Metric == "manual")
            {
                var latest = Read(db, $"SELECT value FROM goal_updates WHERE goal_id = {goal.Id} AND at <= {asOf.ToUnixTimeMilliseconds()} ORDER BY at DESC, id DESC LIMIT 1",
                    default, default, default, sqlRating).Select(r => decimal.Parse((string)r[0], CultureInfo.InvariantCulture)).ToList();
                values.Add(new GoalValue(goal.Id, latest.Count > 0 ? latest[0] : goal.Start));
                continue;
            }
            if (!periods.TryGetValue((goal.First, goal.Last), out var g))
            {
                var from = WorkCalendar.ToInstant(workspace.TimeZone, goal.First, TimeOnly.MinValue);
                var to = WorkCalendar.ToInstant(workspace.TimeZone, goal.Last.AddDays(1), TimeOnly.MinValue);
                g = from >= asOf ? null : Total(Quality(db, "'all'", from, from, to < asOf ? to : asOf, sqlRating));
                periods[(goal.First, goal.Last)] = g;
            }
            var leads = g?.Leads ?? 0;
            values.Add(new GoalValue(goal.Id, goal.Metric switch
            {
                "handoffs" => leads,
                "claimed" => g?.Claimed ?? 0,
                "sqls" => g?.Sqls ?? 0,
                "meetings" => g?.Meetings ?? 0,
                "opportunities" => g?.Opportunities ?? 0,
                "won-revenue" => g?.WonAmount ?? 0,
                "meeting-rate" => leads == 0 ? null : Math.Round((decimal)g!.Meetings / leads, 4),
                _ => g?.MedianSeconds is { } median ? (decimal)median : null,
            }));
        }
        return values;
    }

    private static List<(string, int)> Top(IReadOnlyDictionary<string, int> reasons) =>
        [.. reasons.OrderByDescending(r => r.Value).ThenBy(r => Label(r.Key), StringComparer.OrdinalIgnoreCase).Take(3).Select(r => (r.Key, r.Value))];

    private static string Label(string code) => Core.Feedback.FeedbackSettings.DefaultReasons.FirstOrDefault(r => r.Code == code)?.Label ?? code;

    private static double? Average(long sum, long count) => count == 0 ? null : Math.Round((double)sum / count, 2);

    private static double? Median(List<double> sorted) =>
        sorted.Count == 0 ? null : Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 1);

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);

    private static int Int(object value) => value is long l ? (int)l : 0;

    private static IEnumerable<object[]> Read(SqliteConnection db, string sql, DateTimeOffset previous, DateTimeOffset from, DateTimeOffset to, int sqlRating)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$previous", previous.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$sql", sqlRating);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            yield return row;
        }
    }
}
