using TeamBot.Core.Feedback;

namespace TeamBot.Core.Reports;

/// <summary>The facts about one lead that the quality report counts.</summary>
public sealed record LeadFact(
    long LeadId,
    DateTimeOffset ReceivedAt,
    string? Source,
    string? Campaign,
    string? Segment,
    long? ClaimedById,
    DateTimeOffset? ClaimedAt,
    IReadOnlyList<Rating> CurrentRatings,
    IReadOnlyList<string> ReasonCodes,
    bool Meeting,
    bool Opportunity,
    bool Won,
    decimal WonAmount)
{
    /// <summary>When its handoff was posted in chat (null if never): where the SLA clock and speed to lead start.</summary>
    public DateTimeOffset? PostedAt { get; init; }
}

public interface ILeadFactsQuery
{
    /// <summary>Facts for the workspace's leads received in [from, to).</summary>
    Task<IReadOnlyList<LeadFact>> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public enum ReportGrouping { Source, Campaign, Segment, Rep }

public sealed record SpeedFigures(double? MedianSeconds, double? P95Seconds);

public sealed record ReasonCount(string Code, string Label, int Count);

/// <summary>The numbers for one group of leads in one period.</summary>
public sealed record QualityFigures(
    int Leads,
    int Claimed,
    int Rated,
    double? AverageRating,
    int Rejected,
    IReadOnlyList<ReasonCount> TopReasons,
    SpeedFigures SpeedToClaim,
    int Meetings,
    int Opportunities,
    int Won,
    decimal WonAmount)
{
    public double ClaimRate => Rate(Claimed);
    public double RejectionRate => Rate(Rejected);
    public double MeetingRate => Rate(Meetings);
    public double OpportunityRate => Rate(Opportunities);
    public double WinRate => Rate(Won);

    private double Rate(int count) => Leads == 0 ? 0 : Math.Round((double)count / Leads, 4);
}

public sealed record QualityGroup(string Key, QualityFigures Current, QualityFigures Previous);

public sealed record LeadQualityReport(string WorkspaceId, ReportPeriod Period, ReportGrouping By, QualityGroup Total, IReadOnlyList<QualityGroup> Groups);

/// <summary>Answers "how good were the leads?" for a period, grouped by source, campaign, segment or rep, against the period before.</summary>
public sealed class LeadQualityReports(ILeadFactsQuery facts, IFeedbackStore feedback, Workspaces.IPeopleStore people)
{
    public const string NoValue = "(none)";
    public const string Unclaimed = "(unclaimed)";

    public static bool TryParseGrouping(string? text, out ReportGrouping grouping)
    {
        grouping = ReportGrouping.Source;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return Enum.TryParse(text.Trim(), ignoreCase: true, out grouping) && Enum.IsDefined(grouping) && !char.IsDigit(text.Trim()[0]);
    }

    public async Task<LeadQualityReport> BuildAsync(string workspaceId, ReportPeriod period, ReportGrouping by, CancellationToken cancellationToken)
    {
        var current = await facts.GetAsync(workspaceId, period.From, period.To, cancellationToken);
        var previous = await facts.GetAsync(workspaceId, period.PreviousFrom, period.PreviousEnd, cancellationToken);
        var labels = (await feedback.ListReasonOptionsAsync(workspaceId, cancellationToken)).ToDictionary(o => o.Code, o => o.Label);
        var everyone = await people.ListAsync(workspaceId, cancellationToken);
        // Reps are grouped by person; two people with the same name are told apart by their user id.
        var names = everyone.ToDictionary(p => p.Id, p => everyone.Count(o => o.DisplayName == p.DisplayName) > 1 ? $"{p.DisplayName} ({p.PlatformUserId})" : p.DisplayName);

        string KeyOf(LeadFact fact) => by switch
        {
            ReportGrouping.Source => fact.Source ?? NoValue,
            ReportGrouping.Campaign => fact.Campaign ?? NoValue,
            ReportGrouping.Segment => fact.Segment ?? NoValue,
            _ => fact.ClaimedById is { } id ? names.GetValueOrDefault(id, $"person {id}") : Unclaimed,
        };

        var currentGroups = current.GroupBy(KeyOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var previousGroups = previous.GroupBy(KeyOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var groups = currentGroups.Keys.Union(previousGroups.Keys, StringComparer.OrdinalIgnoreCase)
            .Select(key => new QualityGroup(key,
                Figures(currentGroups.GetValueOrDefault(key) ?? [], labels),
                Figures(previousGroups.GetValueOrDefault(key) ?? [], labels)))
            .OrderByDescending(g => g.Current.Leads)
            .ThenByDescending(g => g.Previous.Leads)
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var total = new QualityGroup("all", Figures(current, labels), Figures(previous, labels));
        return new LeadQualityReport(workspaceId, period, by, total, groups);
    }

    internal static QualityFigures Figures(IReadOnlyCollection<LeadFact> leads, IReadOnlyDictionary<string, string> reasonLabels)
    {
        var claimed = leads.Where(l => l.ClaimedAt is not null).ToList();
        var ratings = leads.SelectMany(l => l.CurrentRatings).Select(r => (double)(int)r).ToList();
        var speeds = claimed.Select(l => Math.Max(0, (l.ClaimedAt!.Value - l.ReceivedAt).TotalSeconds)).Order().ToList();
        var reasons = leads.SelectMany(l => l.ReasonCodes.Distinct())
            .GroupBy(code => code)
            .Select(g => new ReasonCount(g.Key, reasonLabels.GetValueOrDefault(g.Key, g.Key), g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase)
            .Take(3)
            .ToList();

        return new QualityFigures(
            Leads: leads.Count,
            Claimed: claimed.Count,
            Rated: leads.Count(l => l.CurrentRatings.Count > 0),
            AverageRating: ratings.Count == 0 ? null : Math.Round(ratings.Average(), 2),
            Rejected: leads.Count(l => l.CurrentRatings.Contains(Rating.Reject)),
            TopReasons: reasons,
            SpeedToClaim: new SpeedFigures(Median(speeds), Percentile(speeds, 0.95)),
            Meetings: leads.Count(l => l.Meeting),
            Opportunities: leads.Count(l => l.Opportunity),
            Won: leads.Count(l => l.Won),
            WonAmount: leads.Sum(l => l.WonAmount));
    }

    /// <summary>The middle value; the mean of the two middle values for an even count.</summary>
    internal static double? Median(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 1);
    }

    /// <summary>The nearest-rank percentile: the smallest value at or above which <paramref name="p"/> of the values lie.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 1);
    }
}
