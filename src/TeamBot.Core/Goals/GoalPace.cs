using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Goals;

/// <summary>Where a goal's period stands on a given day.</summary>
public enum GoalState { NotStarted, Running, Ended }

/// <summary>The plain verdict on a goal. <see cref="Met"/> and <see cref="Missed"/> only once its period has ended.</summary>
public enum GoalVerdict { NotStarted, NoData, OnTrack, AtRisk, Behind, Met, Missed }

/// <summary>
/// A goal's numbers on a day: the actual value, where linear pace over working days says it should be by now
/// (<see cref="Expected"/>), where the pace so far leads by the period's end (<see cref="Projected"/>), and the verdict.
/// Expected and projected are null for rates and medians, which are judged as they stand.
/// </summary>
public sealed record GoalProgress(
    Goal Goal,
    DateTimeOffset AsOf,
    GoalState State,
    decimal? Actual,
    int? Sample,
    decimal? Expected,
    decimal? Projected,
    int WorkingDaysElapsed,
    int WorkingDaysTotal,
    bool CalendarDays,
    GoalVerdict Verdict)
{
    /// <summary>How far the actual is toward the target (1 = reached); for lower-is-better, the target over the actual.</summary>
    public double? Share => GoalPace.Share(Goal, Actual);
}

/// <summary>
/// The pace rules. A cumulative goal (counts, revenue, manual values) is expected to grow linearly over the
/// period's working days, from its start value (0 unless a manual goal says otherwise) to the target; today counts
/// as a day gone. It is on track when the pace so far reaches the target by the end, at risk when it reaches at
/// least <see cref="AtRiskShare"/> of the way, and behind otherwise. A rate is on track at or above its target
/// and at risk from <see cref="AtRiskShare"/> of it; a median (lower is better) is on track at or below its target
/// and at risk up to the target divided by <see cref="AtRiskShare"/>.
/// </summary>
public static class GoalPace
{
    public const decimal AtRiskShare = 0.8m;

    public static GoalProgress Compute(Goal goal, WorkCalendar calendar, DateTimeOffset asOf, decimal? actual, int? sample)
    {
        var today = calendar.LocalDate(asOf);
        var total = calendar.CountWorkingDays(goal.First, goal.Last);
        // A period without a single working day (a weekend goal) is paced over its calendar days instead.
        var calendarDays = total == 0;
        int Count(DateOnly first, DateOnly last) => calendarDays ? Math.Max(0, last.DayNumber - first.DayNumber + 1) : calendar.CountWorkingDays(first, last);
        if (calendarDays) total = Count(goal.First, goal.Last);

        var state = today < goal.First ? GoalState.NotStarted : today > goal.Last ? GoalState.Ended : GoalState.Running;
        var elapsed = state switch
        {
            GoalState.NotStarted => 0,
            GoalState.Ended => total,
            _ => Count(goal.First, today),
        };

        decimal? expected = null, projected = null;
        if (GoalMetrics.IsCumulative(goal.Metric))
        {
            var start = goal.StartValue ?? 0;
            expected = Round(start + (goal.Target - start) * elapsed / total);
            if (state == GoalState.Ended) projected = actual ?? start;
            else if (state == GoalState.Running && elapsed > 0) projected = Round(start + ((actual ?? start) - start) * total / elapsed);
        }

        var verdict = Judge(goal, state, actual, projected);
        return new GoalProgress(goal, asOf, state, actual, sample, expected, projected, elapsed, total, calendarDays, verdict);
    }

    public static double? Share(Goal goal, decimal? actual)
    {
        if (actual is not { } value) return null;
        if (GoalMetrics.LowerIsBetter(goal.Metric)) return value <= 0 ? 1 : (double)(goal.Target / value);
        var start = goal.StartValue ?? 0;
        return goal.Target == start ? 1 : (double)((value - start) / (goal.Target - start));
    }

    private static GoalVerdict Judge(Goal goal, GoalState state, decimal? actual, decimal? projected)
    {
        if (state == GoalState.NotStarted) return GoalVerdict.NotStarted;
        var target = goal.Target;
        if (GoalMetrics.IsCumulative(goal.Metric))
        {
            var start = goal.StartValue ?? 0;
            var value = actual ?? start;
            if (state == GoalState.Ended) return value >= target ? GoalVerdict.Met : GoalVerdict.Missed;
            if (value >= target || projected is null || projected >= target) return GoalVerdict.OnTrack;
            return projected >= start + (target - start) * AtRiskShare ? GoalVerdict.AtRisk : GoalVerdict.Behind;
        }

        if (actual is not { } now) return state == GoalState.Ended ? GoalVerdict.Missed : GoalVerdict.NoData;
        var lower = GoalMetrics.LowerIsBetter(goal.Metric);
        var met = lower ? now <= target : now >= target;
        if (state == GoalState.Ended) return met ? GoalVerdict.Met : GoalVerdict.Missed;
        if (met) return GoalVerdict.OnTrack;
        var limit = AtRiskLimit(goal);
        return (lower ? now <= limit : now >= limit) ? GoalVerdict.AtRisk : GoalVerdict.Behind;
    }

    /// <summary>For a rate or median, the value up to which a miss still counts as at risk rather than behind.</summary>
    public static decimal AtRiskLimit(Goal goal) =>
        GoalMetrics.LowerIsBetter(goal.Metric) ? goal.Target / AtRiskShare : goal.Target * AtRiskShare;

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
