using TeamBot.Core.Feedback;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Goals;

/// <summary>A metric's value over a set of leads, and how many leads it rests on (for rates and medians).</summary>
public sealed record GoalMeasure(decimal? Value, int Sample);

/// <summary>Measures goals from TeamBot's own lead facts (or their manual updates) and judges their pace.</summary>
public sealed class GoalService(IGoalStore goals, IReportTotals totals, IWorkCalendars calendars, GoalSettings settings, TimeProvider clock)
{
    public Rating SqlRating => settings.SqlThreshold;

    /// <summary>The progress of each goal now.</summary>
    public Task<IReadOnlyList<GoalProgress>> ProgressAsync(string workspaceId, IReadOnlyList<Goal> list, CancellationToken cancellationToken) =>
        ProgressAsync(workspaceId, list, clock.GetUtcNow(), cancellationToken);

    /// <summary>The progress of each goal as it stood at <paramref name="asOf"/>: only leads received by then count.</summary>
    public async Task<IReadOnlyList<GoalProgress>> ProgressAsync(string workspaceId, IReadOnlyList<Goal> list, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        if (list.Count == 0) return [];
        var calendar = await calendars.ForWorkspaceAsync(workspaceId, cancellationToken);
        // Goals over the same period share one read of the totals.
        var byPeriod = new Dictionary<(DateOnly, DateOnly), QualityTally>();
        var result = new List<GoalProgress>(list.Count);
        foreach (var goal in list)
        {
            GoalMeasure measure;
            if (goal.Metric == GoalMetric.Manual)
            {
                var updates = await goals.GetUpdatesAsync(goal.Id, cancellationToken);
                var latest = updates.Where(u => u.At <= asOf).LastOrDefault();
                measure = new GoalMeasure(latest?.Value ?? goal.StartValue, updates.Count);
            }
            else
            {
                if (!byPeriod.TryGetValue((goal.First, goal.Last), out var leads))
                {
                    var from = calendar.ToInstant(goal.First, TimeOnly.MinValue);
                    var to = calendar.ToInstant(goal.Last.AddDays(1), TimeOnly.MinValue);
                    leads = from >= asOf ? new QualityTally() : (await totals.GetAsync(workspaceId, from, to < asOf ? to : asOf, ReportGrouping.Source, cancellationToken)).Total;
                    byPeriod[(goal.First, goal.Last)] = leads;
                }
                measure = Measure(goal.Metric, leads, settings.SqlThreshold);
            }
            result.Add(GoalPace.Compute(goal, calendar, asOf, measure.Value, measure.Sample));
        }
        return result;
    }

    /// <summary>
    /// A computed metric over the leads received in a period. A lead is an SQL when the average of its reps' current
    /// ratings is at or above <paramref name="sqlRating"/>. Rates and medians have no value without leads to rest on.
    /// </summary>
    public static GoalMeasure Measure(GoalMetric metric, QualityTally leads, Rating sqlRating) => metric switch
    {
        GoalMetric.Handoffs => new GoalMeasure(leads.Leads, leads.Leads),
        GoalMetric.Claimed => new GoalMeasure(leads.Claimed, leads.Leads),
        GoalMetric.Sqls => new GoalMeasure(leads.SqlsAtLeast(sqlRating), leads.Leads),
        GoalMetric.Meetings => new GoalMeasure(leads.Meetings, leads.Leads),
        GoalMetric.Opportunities => new GoalMeasure(leads.Opportunities, leads.Leads),
        GoalMetric.WonRevenue => new GoalMeasure(leads.WonAmount, leads.Leads),
        GoalMetric.MeetingRate => new GoalMeasure(leads.Leads == 0 ? null : Math.Round((decimal)leads.Meetings / leads.Leads, 4), leads.Leads),
        GoalMetric.SpeedToClaim => new GoalMeasure(leads.MedianClaimSeconds() is { } median ? (decimal)median : null, leads.Claimed),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Manual goals are not measured from leads."),
    };

}
