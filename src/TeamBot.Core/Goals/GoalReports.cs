using System.Globalization;
using Humanizer;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;

namespace TeamBot.Core.Goals;

/// <summary>Words a goal's progress the way a person would, with text bars: "▓▓▓▓░░░░░░ 38% · 46 of 120 · at risk".</summary>
public static class GoalReports
{
    public const int BarCells = 10;

    /// <summary>How many manual updates a card lists.</summary>
    public const int HistoryShown = 5;

    public static string Code(GoalVerdict verdict) => verdict switch
    {
        GoalVerdict.NotStarted => "not-started",
        GoalVerdict.NoData => "no-data",
        GoalVerdict.OnTrack => "on-track",
        GoalVerdict.AtRisk => "at-risk",
        GoalVerdict.Behind => "behind",
        GoalVerdict.Met => "met",
        _ => "missed",
    };

    public static string Words(GoalVerdict verdict) => Code(verdict).Replace('-', ' ');

    /// <summary>A text bar of the share of the target reached, e.g. <c>▓▓▓▓░░░░░░ 38%</c>; full only at 100%.</summary>
    public static string Bar(double? share)
    {
        if (share is not { } s) return new string('░', BarCells) + " –";
        var filled = Math.Clamp((int)Math.Round(s * BarCells, MidpointRounding.AwayFromZero), 0, BarCells);
        if (s < 1 && filled == BarCells) filled = BarCells - 1;
        return new string('▓', filled) + new string('░', BarCells - filled) + " " + Percent(s);
    }

    /// <summary>
    /// The share a bar shows. Lower-is-better goals stop at 100% once the target is met: a 15-second median against a
    /// 30-minute target is the target reached, not "11538%". (The API's <c>share</c> stays exact.)
    /// </summary>
    private static double? Shown(GoalProgress p) =>
        p.Share is { } s && GoalMetrics.LowerIsBetter(p.Goal.Metric) ? Math.Min(s, 1) : p.Share;

    public static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>A value in the metric's unit: "46", "12,000", "18.5%", "42 minutes".</summary>
    public static string Value(GoalMetric metric, decimal value) => GoalMetrics.Unit(metric) switch
    {
        GoalUnit.Count => value.ToString("N0", CultureInfo.InvariantCulture),
        GoalUnit.Ratio => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        GoalUnit.Seconds => Durations.Spoken(TimeSpan.FromSeconds((double)value), precision: 2),
        _ => value.ToString(value == decimal.Truncate(value) ? "N0" : "N2", CultureInfo.InvariantCulture),
    };

    /// <summary>One line for lists and the digest: bar, value against target, verdict.</summary>
    public static string Line(GoalProgress progress)
    {
        var goal = progress.Goal;
        var target = Value(goal.Metric, goal.Target) + (GoalMetrics.LowerIsBetter(goal.Metric) ? " or less" : "");
        var numbers = progress.Actual switch
        {
            null => $"nothing yet, target {target}",
            { } a when GoalMetrics.IsCumulative(goal.Metric) => $"{Value(goal.Metric, a)} of {target}",
            { } a => $"{Value(goal.Metric, a)}, target {target}",
        };
        return $"{Bar(Shown(progress))} · {numbers} · {Words(progress.Verdict)}";
    }

    /// <summary>The verdict with the numbers behind it, in one or two sentences.</summary>
    public static string Explain(GoalProgress p)
    {
        var goal = p.Goal;
        var period = goal.Period;
        var target = Value(goal.Metric, goal.Target);
        var days = p.CalendarDays ? "day" : "working day";
        var verdict = " → " + Words(p.Verdict);
        if (p.State == GoalState.NotStarted)
        {
            return $"Starts {period.Day(goal.First)}: {days.ToQuantity(p.WorkingDaysTotal)} to reach {target}. Nothing is counted before then.";
        }

        if (GoalMetrics.IsCumulative(goal.Metric))
        {
            var start = goal.StartValue ?? 0;
            var value = p.Actual ?? start;
            var share = p.Share is { } s ? $" ({Percent(s)}{(start != 0 ? $" of the way from {Value(goal.Metric, start)}" : "")})" : "";
            var so = $"{Value(goal.Metric, value)} of {target}{share}";
            if (value == start && p.State == GoalState.Running) so = "Nothing yet: " + so;
            if (p.State == GoalState.Ended) return $"Ended {period.Day(goal.Last)}: {so}{verdict}.";
            if (p.WorkingDaysElapsed == 0) return $"{so}; no {days} has passed yet{verdict}.";
            var expected = Value(goal.Metric, Whole(goal, p.Expected!.Value));
            var text = $"{so}, expected {expected} by now ({days} {p.WorkingDaysElapsed} of {p.WorkingDaysTotal})";
            if (value >= goal.Target) return text + $"; target reached{verdict}.";
            var projected = Value(goal.Metric, Whole(goal, p.Projected!.Value));
            return text + $"; projected {projected} by {period.Day(goal.Last)}{verdict}.";
        }

        var lower = GoalMetrics.LowerIsBetter(goal.Metric);
        var rule = lower
            ? $"Lower is better: on track at {target} or less, at risk up to {Value(goal.Metric, GoalPace.AtRiskLimit(goal))}."
            : $"A rate is judged as it stands, not paced: on track at {target} or more, at risk from {Value(goal.Metric, GoalPace.AtRiskLimit(goal))}.";
        if (p.Actual is not { } now)
        {
            var none = lower ? "No claimed leads yet" : "No leads yet";
            return (p.State == GoalState.Ended ? $"Ended {period.Day(goal.Last)}: {none.ToLowerInvariant()} to measure" : $"{none} to measure") + $"{verdict}. {rule}";
        }
        var measured = lower
            ? $"Median {Value(goal.Metric, now)} over {"claimed lead".ToQuantity(p.Sample ?? 0)}, target {target}"
            : $"{Value(goal.Metric, now)} of {"lead".ToQuantity(p.Sample ?? 0)} reached a meeting, target {target}";
        var prefix = p.State == GoalState.Ended ? $"Ended {period.Day(goal.Last)}: " : "";
        return $"{prefix}{measured}{verdict}. {rule}";
    }

    /// <summary>The card <c>/goal show</c> answers with.</summary>
    public static ChatCard Card(GoalProgress p, IReadOnlyList<string> owners, IReadOnlyList<GoalUpdate> updates, Rating sqlRating, string timeZoneId)
    {
        var goal = p.Goal;
        var period = goal.Period;
        var fields = new List<CardField>
        {
            new("Actual", p.Actual is { } a ? Value(goal.Metric, a) : "nothing yet"),
            new("Target", Value(goal.Metric, goal.Target) + (GoalMetrics.LowerIsBetter(goal.Metric) ? " or less" : "")),
        };
        if (p.Expected is { } expected && p.State == GoalState.Running) fields.Add(new CardField("Expected by now", Value(goal.Metric, Whole(goal, expected))));
        if (p.Projected is { } projected && p.State == GoalState.Running) fields.Add(new CardField($"Projected by {period.Day(goal.Last)}", Value(goal.Metric, Whole(goal, projected))));
        fields.Add(new CardField(p.CalendarDays ? "Days" : "Working days", $"{p.WorkingDaysElapsed} of {p.WorkingDaysTotal}"));
        fields.Add(new CardField("Owners", owners.Count == 0 ? "none yet" : string.Join(", ", owners), Inline: false));
        if (goal.Metric == GoalMetric.Manual)
        {
            fields.Add(new CardField("Updates", History(goal, updates, timeZoneId), Inline: false));
        }
        return new ChatCard
        {
            Title = $"Goal #{goal.Id}: {goal.Name}",
            Subtitle = $"{GoalMetrics.Label(goal.Metric)} · {period.Label} ({period.Day(goal.First)} to {period.Day(goal.Last)})" + (goal.IsArchived ? " · archived" : ""),
            Text = Bar(Shown(p)) + "\n" + Explain(p),
            Color = Color(p.Verdict),
            Fields = fields,
            Footer = GoalMetrics.Describe(goal.Metric, sqlRating),
        };
    }

    /// <summary>The card <c>/goal list</c> answers with: a line per goal, as many as a message holds.</summary>
    public static ChatCard ListCard(IReadOnlyList<GoalProgress> goals, GoalStatusFilter status, int maxFields)
    {
        var which = status switch
        {
            GoalStatusFilter.Archived => "archived",
            GoalStatusFilter.All => "all",
            _ => "active",
        };
        var shown = goals.Count > maxFields ? maxFields - 1 : goals.Count;
        var fields = goals.Take(shown)
            .Select(p => new CardField($"#{p.Goal.Id} {p.Goal.Name} ({p.Goal.Period.Label}{(p.Goal.IsArchived ? ", archived" : "")})", Line(p), Inline: false))
            .ToList();
        if (goals.Count > shown) fields.Add(new CardField($"…and {"more goal".ToQuantity(goals.Count - shown)}", "The goals API lists them all; /goal show goal:<id> shows one.", Inline: false));
        return new ChatCard
        {
            Title = $"Goals ({which})",
            Text = goals.Count == 0
                ? (status == GoalStatusFilter.Archived ? "No archived goals." : "No goals yet. Admins add one with /goal add name:\"SQLs this quarter\" metric:sqls target:120 period:quarter")
                : $"{"goal".ToQuantity(goals.Count)}; {goals.Count(g => g.Verdict is GoalVerdict.OnTrack or GoalVerdict.Met)} on track or met, " +
                  $"{goals.Count(g => g.Verdict == GoalVerdict.AtRisk)} at risk, {goals.Count(g => g.Verdict is GoalVerdict.Behind or GoalVerdict.Missed)} behind or missed.",
            Color = CardColor.Accent,
            Fields = fields,
            Footer = "/goal show goal:<id> gives the numbers behind a verdict.",
        };
    }

    public static CardColor Color(GoalVerdict verdict) => verdict switch
    {
        GoalVerdict.OnTrack or GoalVerdict.Met => CardColor.Good,
        GoalVerdict.AtRisk => CardColor.Warning,
        GoalVerdict.Behind or GoalVerdict.Missed => CardColor.Danger,
        _ => CardColor.Neutral,
    };

    private static string History(Goal goal, IReadOnlyList<GoalUpdate> updates, string timeZoneId)
    {
        if (updates.Count == 0)
        {
            return goal.StartValue is { } start ? $"none yet; started at {Value(goal.Metric, start)}" : "none yet; /goal update goal:" + goal.Id + " value:<n>";
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var lines = updates.TakeLast(HistoryShown).Reverse()
            .Select(u => $"{TimeZoneInfo.ConvertTime(u.At, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {Value(goal.Metric, u.Value)}{(u.Note is null ? "" : $" ({u.Note})")}");
        var more = updates.Count > HistoryShown ? $"\n…and {"earlier update".ToQuantity(updates.Count - HistoryShown)}" : "";
        return string.Join("\n", lines) + more;
    }

    /// <summary>Counts are whole: "expected 51", not "expected 51.43".</summary>
    /// <summary>
    /// Expected and projected values as people say them: whole numbers for counts, and for amounts and manual values
    /// whose target is whole ("expected 144,545 by now", not 144,545.45); two decimals otherwise. The API keeps them exact.
    /// </summary>
    private static decimal Whole(Goal goal, decimal value) =>
        GoalMetrics.Unit(goal.Metric) == GoalUnit.Count
        || (GoalMetrics.Unit(goal.Metric) is GoalUnit.Amount or GoalUnit.Number && goal.Target == decimal.Truncate(goal.Target))
            ? Math.Round(value, MidpointRounding.AwayFromZero)
            : Math.Round(value, 2);
}
