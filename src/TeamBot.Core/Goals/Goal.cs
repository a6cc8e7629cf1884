using TeamBot.Core.Feedback;

namespace TeamBot.Core.Goals;

/// <summary>What a goal measures. Everything but <see cref="Manual"/> is computed from TeamBot's own data.</summary>
public enum GoalMetric
{
    Handoffs,
    Claimed,
    Sqls,
    Meetings,
    Opportunities,
    WonRevenue,
    MeetingRate,
    SpeedToClaim,
    Manual,
}

/// <summary>How a metric's value reads: a count of leads, an amount of money, a share of leads, a duration, or a number typed in.</summary>
public enum GoalUnit { Count, Amount, Ratio, Seconds, Number }

/// <summary>The metrics' codes (as typed in commands and shown in the API), units and the way their progress is judged.</summary>
public static class GoalMetrics
{
    private static readonly (GoalMetric Metric, string Code, string Label, GoalUnit Unit)[] Table =
    [
        (GoalMetric.Handoffs, "handoffs", "Handoffs", GoalUnit.Count),
        (GoalMetric.Claimed, "claimed", "Claimed leads", GoalUnit.Count),
        (GoalMetric.Sqls, "sqls", "SQLs", GoalUnit.Count),
        (GoalMetric.Meetings, "meetings", "Meetings", GoalUnit.Count),
        (GoalMetric.Opportunities, "opportunities", "Opportunities", GoalUnit.Count),
        (GoalMetric.WonRevenue, "won-revenue", "Won revenue", GoalUnit.Amount),
        (GoalMetric.MeetingRate, "meeting-rate", "Lead-to-meeting rate", GoalUnit.Ratio),
        (GoalMetric.SpeedToClaim, "speed-to-claim", "Median speed to claim", GoalUnit.Seconds),
        (GoalMetric.Manual, "manual", "Manual value", GoalUnit.Number),
    ];

    /// <summary>Every code, in the order help and errors list them.</summary>
    public static IReadOnlyList<string> Codes { get; } = Table.Select(t => t.Code).ToList();

    public static string Code(GoalMetric metric) => Table.Single(t => t.Metric == metric).Code;

    public static string Label(GoalMetric metric) => Table.Single(t => t.Metric == metric).Label;

    public static GoalUnit Unit(GoalMetric metric) => Table.Single(t => t.Metric == metric).Unit;

    public static bool TryParse(string? text, out GoalMetric metric)
    {
        var code = text?.Trim().ToLowerInvariant();
        var row = Table.FirstOrDefault(t => t.Code == code);
        metric = row.Metric;
        return row.Code is not null;
    }

    /// <summary>Counts, revenue and manual values add up over the period, so they are paced; rates and medians are not.</summary>
    public static bool IsCumulative(GoalMetric metric) => metric is not (GoalMetric.MeetingRate or GoalMetric.SpeedToClaim);

    /// <summary>A faster claim is better: the target is a ceiling.</summary>
    public static bool LowerIsBetter(GoalMetric metric) => metric == GoalMetric.SpeedToClaim;

    /// <summary>What the metric counts, in a sentence for the card's footer and the README.</summary>
    public static string Describe(GoalMetric metric, Rating sqlRating) => metric switch
    {
        GoalMetric.Handoffs => "Leads received in the period.",
        GoalMetric.Claimed => "Leads received in the period that a rep has claimed.",
        GoalMetric.Sqls => $"Leads received in the period whose reps rate them {Ratings.Label(sqlRating)} or better on average.",
        GoalMetric.Meetings => "Leads received in the period that reached a meeting (or later), whenever it was recorded.",
        GoalMetric.Opportunities => "Leads received in the period that became an opportunity (or were won), whenever it was recorded.",
        GoalMetric.WonRevenue => "The won amounts of leads received in the period, whenever they were won.",
        GoalMetric.MeetingRate => "Of the leads received in the period, the share that reached a meeting; compared with the target as it stands.",
        GoalMetric.SpeedToClaim => "The median time from a lead's arrival to its claim, for leads received in the period; lower is better.",
        _ => "A value updated by hand with /goal update (e.g. pipeline from a CRM).",
    };
}

/// <summary>Which goals a list shows.</summary>
public enum GoalStatusFilter { Active, Archived, All }

/// <summary>
/// A shared goal: a metric, a target and a period of whole days in the workspace's time zone (<see cref="First"/>
/// and <see cref="Last"/> both included). <see cref="StartValue"/> is where a manual goal starts from.
/// </summary>
public sealed record Goal(
    long Id,
    string WorkspaceId,
    string Name,
    GoalMetric Metric,
    decimal Target,
    decimal? StartValue,
    DateOnly First,
    DateOnly Last,
    IReadOnlyList<long> OwnerIds,
    long CreatedById,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ArchivedAt)
{
    public bool IsArchived => ArchivedAt is not null;

    public GoalPeriod Period => GoalPeriod.Of(First, Last);
}

public sealed record NewGoal(
    string WorkspaceId,
    string Name,
    GoalMetric Metric,
    decimal Target,
    decimal? StartValue,
    DateOnly First,
    DateOnly Last,
    IReadOnlyList<long> OwnerIds,
    long CreatedById,
    DateTimeOffset CreatedAt);

/// <summary>A value typed in for a manual goal; the latest one is the goal's value, the rest are its history.</summary>
public sealed record GoalUpdate(long GoalId, decimal Value, long PersonId, string? Note, DateTimeOffset At);

/// <summary>Where goals and their manual updates are kept.</summary>
public interface IGoalStore
{
    Task<Goal> AddAsync(NewGoal goal, CancellationToken cancellationToken);

    /// <summary>The goal with that id in that workspace, archived or not.</summary>
    Task<Goal?> GetAsync(string workspaceId, long goalId, CancellationToken cancellationToken);

    /// <summary>The workspace's goals, oldest first.</summary>
    Task<IReadOnlyList<Goal>> ListAsync(string workspaceId, GoalStatusFilter status, CancellationToken cancellationToken);

    /// <summary>Archives the goal; false when it was archived already.</summary>
    Task<bool> ArchiveAsync(long goalId, long personId, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddUpdateAsync(GoalUpdate update, CancellationToken cancellationToken);

    /// <summary>The goal's manual updates, oldest first.</summary>
    Task<IReadOnlyList<GoalUpdate>> GetUpdatesAsync(long goalId, CancellationToken cancellationToken);
}

/// <summary>Bound from <c>Goals</c>.</summary>
public sealed class GoalSettings
{
    /// <summary>The rating at or above which a lead counts as sales-qualified: great, good, meh, poor or reject.</summary>
    public string SqlRating { get; set; } = "good";

    /// <summary>The parsed <see cref="SqlRating"/> (validation at start-up refuses one that does not parse).</summary>
    public Rating SqlThreshold => Ratings.TryParse(SqlRating, out var rating) ? rating : Rating.Good;
}
