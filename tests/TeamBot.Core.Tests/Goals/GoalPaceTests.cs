using TeamBot.Core.Goals;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Goals;

/// <summary>
/// November 2026 in Berlin, Monday to Friday, with Thursday Nov 26 off: 21 weekdays less the holiday make 20
/// working days. Monday Nov 16 is working day 11.
/// </summary>
public class GoalPaceTests
{
    private static readonly DateOnly Holiday = new(2026, 11, 26);

    private static readonly WorkCalendar Calendar = WorkCalendar.Default("Europe/Berlin") with { Holidays = new HashSet<DateOnly> { Holiday } };

    private static Goal Goal(GoalMetric metric = GoalMetric.Sqls, decimal target = 100, decimal? start = null, DateOnly? first = null, DateOnly? last = null) =>
        new(7, "acme", "SQLs in November", metric, target, start, first ?? new DateOnly(2026, 11, 1), last ?? new DateOnly(2026, 11, 30), [],
            1, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), null);

    private static DateTimeOffset On(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.Zero);

    private static GoalProgress Compute(Goal goal, DateTimeOffset asOf, decimal? actual, int? sample = null) =>
        GoalPace.Compute(goal, Calendar, asOf, actual, sample);

    [Fact]
    public void Compute_MidPeriod_ExpectsLinearPaceOverWorkingDays_AndProjectsThePaceSoFar()
    {
        var progress = Compute(Goal(), On(11, 16), 44);

        Assert.Equal((11, 20), (progress.WorkingDaysElapsed, progress.WorkingDaysTotal));
        Assert.Equal(55m, progress.Expected);
        Assert.Equal(80m, progress.Projected);
        Assert.Equal(GoalVerdict.AtRisk, progress.Verdict);
        Assert.Equal("44 of 100 (44%), expected 55 by now (working day 11 of 20); projected 80 by Nov 30 → at risk.", GoalReports.Explain(progress));
    }

    [Theory]
    [InlineData(60, GoalVerdict.OnTrack)]
    [InlineData(55, GoalVerdict.OnTrack)]
    [InlineData(44, GoalVerdict.AtRisk)]
    [InlineData(43, GoalVerdict.Behind)]
    [InlineData(100, GoalVerdict.OnTrack)]
    public void Compute_MidPeriod_JudgesByWhereThePaceLeads(int actual, GoalVerdict expected)
    {
        Assert.Equal(expected, Compute(Goal(), On(11, 16), actual).Verdict);
    }

    [Fact]
    public void Compute_SkipsTheHolidayAndTheWeekend()
    {
        Assert.Equal(18, Compute(Goal(), On(11, 26), 0).WorkingDaysElapsed); // the holiday itself adds nothing
        Assert.Equal(19, Compute(Goal(), On(11, 27), 0).WorkingDaysElapsed);
        Assert.Equal(19, Compute(Goal(), On(11, 29), 0).WorkingDaysElapsed); // Sunday
        Assert.Equal(95m, Compute(Goal(), On(11, 27), 0).Expected);
    }

    [Fact]
    public void Compute_WithASundayToThursdayWeek_CountsThatWeek()
    {
        var week = new HashSet<DayOfWeek> { DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday };
        var progress = GoalPace.Compute(Goal(), Calendar with { WorkWeek = week }, On(11, 16), 50, null);

        // Sun 1 to Thu 5, Sun 8 to Thu 12, Sun 15 and Mon 16; 22 days less the holiday (a Thursday) make 21.
        Assert.Equal((12, 21), (progress.WorkingDaysElapsed, progress.WorkingDaysTotal));
    }

    [Fact]
    public void Compute_WhenNothingYet_SaysSo_AndIsBehind()
    {
        var progress = Compute(Goal(), On(11, 16), 0);

        Assert.Equal(0m, progress.Projected);
        Assert.Equal(GoalVerdict.Behind, progress.Verdict);
        Assert.StartsWith("Nothing yet: 0 of 100 (0%), expected 55 by now", GoalReports.Explain(progress), StringComparison.Ordinal);
        Assert.Equal("░░░░░░░░░░ 0% · 0 of 100 · behind", GoalReports.Line(progress));
    }

    [Fact]
    public void Compute_BeforeTheFirstWorkingDay_IsOnTrackWithNothingExpected()
    {
        // Sunday Nov 1: the period has started, but no working day has passed.
        var progress = Compute(Goal(), On(11, 1), 0);

        Assert.Equal((GoalState.Running, 0, 0m), (progress.State, progress.WorkingDaysElapsed, progress.Expected!.Value));
        Assert.Null(progress.Projected);
        Assert.Equal(GoalVerdict.OnTrack, progress.Verdict);
        Assert.Equal("Nothing yet: 0 of 100 (0%); no working day has passed yet → on track.", GoalReports.Explain(progress));
    }

    [Fact]
    public void Compute_BeforeThePeriod_IsNotStarted()
    {
        var progress = Compute(Goal(), On(10, 20), 0);

        Assert.Equal((GoalState.NotStarted, GoalVerdict.NotStarted, 0), (progress.State, progress.Verdict, progress.WorkingDaysElapsed));
        Assert.Null(progress.Projected);
        Assert.Equal("Starts Nov 1: 20 working days to reach 100. Nothing is counted before then.", GoalReports.Explain(progress));
    }

    [Theory]
    [InlineData(100, GoalVerdict.Met, "Ended Nov 30: 100 of 100 (100%) → met.")]
    [InlineData(120, GoalVerdict.Met, "Ended Nov 30: 120 of 100 (120%) → met.")]
    [InlineData(99, GoalVerdict.Missed, "Ended Nov 30: 99 of 100 (99%) → missed.")]
    public void Compute_AfterThePeriod_IsMetOrMissed(int actual, GoalVerdict verdict, string explained)
    {
        var progress = Compute(Goal(), On(12, 3), actual);

        Assert.Equal((GoalState.Ended, verdict, 20, 20), (progress.State, progress.Verdict, progress.WorkingDaysElapsed, progress.WorkingDaysTotal));
        Assert.Equal(explained, GoalReports.Explain(progress));
    }

    [Fact]
    public void Compute_EndedJustBeforeMidnightInTheWorkspace_IsStillRunningOnItsLastDay()
    {
        // Berlin is an hour ahead of UTC in November: 22:30 UTC is 23:30 on Nov 30 there, 23:30 UTC is already Dec 1.
        Assert.Equal(GoalState.Running, Compute(Goal(), new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero), 1).State);
        Assert.Equal(GoalState.Ended, Compute(Goal(), new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero), 1).State);
    }

    [Fact]
    public void Compute_ManualGoal_PacesFromItsStartValue()
    {
        var goal = Goal(GoalMetric.Manual, target: 500_000, start: 100_000);

        var progress = Compute(goal, On(11, 16), 250_000);

        Assert.Equal(320_000m, progress.Expected); // 100k + 400k × 11/20
        Assert.Equal(372_727.27m, progress.Projected); // 100k + 150k × 20/11
        Assert.Equal(GoalVerdict.Behind, progress.Verdict); // 372,727 is under 100k + 80% of the 400k to go
        Assert.Equal(0.375, progress.Share);
        Assert.StartsWith("250,000 of 500,000 (38% of the way from 100,000), expected 320,000 by now", GoalReports.Explain(progress), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ManualGoal_WithAWholeTarget_SaysWholeNumbers()
    {
        var progress = Compute(Goal(GoalMetric.Manual, target: 250_000, start: 10_000), On(11, 16), 80_000);

        Assert.NotEqual(decimal.Truncate(progress.Projected!.Value), progress.Projected); // the API keeps the exact value
        Assert.DoesNotMatch(@"\d\.\d\d\b", GoalReports.Explain(progress));
    }

    [Fact]
    public void Line_SpeedToClaimFarUnderTheTarget_StopsAt100Percent()
    {
        var progress = Compute(Goal(GoalMetric.SpeedToClaim, target: 1800), On(11, 16), 15, 5);

        Assert.Equal(120, progress.Share); // exact in the API
        Assert.Equal("▓▓▓▓▓▓▓▓▓▓ 100% · 15 seconds, target 30 minutes or less · on track", GoalReports.Line(progress));
    }

    [Theory]
    [InlineData(1500, GoalVerdict.OnTrack)]
    [InlineData(1800, GoalVerdict.OnTrack)]
    [InlineData(2250, GoalVerdict.AtRisk)]
    [InlineData(2251, GoalVerdict.Behind)]
    public void Compute_SpeedToClaim_LowerIsBetter(int medianSeconds, GoalVerdict verdict)
    {
        var progress = Compute(Goal(GoalMetric.SpeedToClaim, target: 1800), On(11, 16), medianSeconds, 12);

        Assert.Equal(verdict, progress.Verdict);
        Assert.Null(progress.Expected);
        Assert.Null(progress.Projected);
    }

    [Fact]
    public void Explain_SpeedToClaim_SaysLowerIsBetter_WithTheNumbers()
    {
        var progress = Compute(Goal(GoalMetric.SpeedToClaim, target: 1800), On(11, 16), 2400, 12);

        Assert.Equal("Median 40 minutes over 12 claimed leads, target 30 minutes → behind. Lower is better: on track at 30 minutes or less, at risk up to 37 minutes, 30 seconds.",
            GoalReports.Explain(progress));
        Assert.Equal("▓▓▓▓▓▓▓▓░░ 75% · 40 minutes, target 30 minutes or less · behind", GoalReports.Line(progress));
    }

    [Theory]
    [InlineData(0.25, GoalVerdict.OnTrack)]
    [InlineData(0.2, GoalVerdict.AtRisk)]
    [InlineData(0.19, GoalVerdict.Behind)]
    public void Compute_Rate_IsJudgedAsItStands(double rate, GoalVerdict verdict)
    {
        var progress = Compute(Goal(GoalMetric.MeetingRate, target: 0.25m), On(11, 3), (decimal)rate, 40);

        Assert.Equal(verdict, progress.Verdict);
    }

    [Fact]
    public void Explain_Rate_GivesTheRateItsLeadsAndTheRule()
    {
        var progress = Compute(Goal(GoalMetric.MeetingRate, target: 0.25m), On(11, 16), 0.175m, 40);

        Assert.Equal("17.5% of 40 leads reached a meeting, target 25% → behind. A rate is judged as it stands, not paced: on track at 25% or more, at risk from 20%.",
            GoalReports.Explain(progress));
    }

    [Fact]
    public void Compute_RateWithoutLeads_HasNoData_UntilTheEndWhenItIsMissed()
    {
        var running = Compute(Goal(GoalMetric.MeetingRate, target: 0.25m), On(11, 16), null, 0);
        var ended = Compute(Goal(GoalMetric.MeetingRate, target: 0.25m), On(12, 1), null, 0);

        Assert.Equal(GoalVerdict.NoData, running.Verdict);
        Assert.StartsWith("No leads yet to measure → no data.", GoalReports.Explain(running), StringComparison.Ordinal);
        Assert.Equal(GoalVerdict.Missed, ended.Verdict);
    }

    [Fact]
    public void Compute_SpeedAfterThePeriod_IsMetAtOrUnderTheTarget()
    {
        Assert.Equal(GoalVerdict.Met, Compute(Goal(GoalMetric.SpeedToClaim, target: 1800), On(12, 2), 1700, 5).Verdict);
        Assert.Equal(GoalVerdict.Missed, Compute(Goal(GoalMetric.SpeedToClaim, target: 1800), On(12, 2), 1900, 5).Verdict);
    }

    [Fact]
    public void Compute_APeriodWithoutWorkingDays_IsPacedOverItsCalendarDays()
    {
        // Saturday and Sunday only.
        var progress = Compute(Goal(first: new DateOnly(2026, 11, 7), last: new DateOnly(2026, 11, 8), target: 10), new DateTimeOffset(2026, 11, 7, 12, 0, 0, TimeSpan.Zero), 4);

        Assert.True(progress.CalendarDays);
        Assert.Equal((1, 2, 5m, 8m), (progress.WorkingDaysElapsed, progress.WorkingDaysTotal, progress.Expected!.Value, progress.Projected!.Value));
    }

    [Theory]
    [InlineData(0.38, "▓▓▓▓░░░░░░ 38%")]
    [InlineData(0.0, "░░░░░░░░░░ 0%")]
    [InlineData(0.97, "▓▓▓▓▓▓▓▓▓░ 97%")]
    [InlineData(1.0, "▓▓▓▓▓▓▓▓▓▓ 100%")]
    [InlineData(1.5, "▓▓▓▓▓▓▓▓▓▓ 150%")]
    public void Bar_FillsTenCells_AndIsFullOnlyAtTheTarget(double share, string expected)
    {
        Assert.Equal(expected, GoalReports.Bar(share));
    }
}
