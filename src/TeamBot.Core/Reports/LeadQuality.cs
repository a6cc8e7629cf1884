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

/// <summary>A period's tallies: all its leads, and its leads per value of one grouping.</summary>
/// <param name="Total">All the period's leads.</param>
/// <param name="Groups">Per value: the source, campaign or segment (null for leads without one), or for reps the
/// claiming person's id (null for unclaimed leads). Values that differ only in case are separate here.</param>
public sealed record PeriodTotals(QualityTally Total, IReadOnlyList<(string? Key, QualityTally Tally)> Groups)
{
    /// <summary>Tallies the given leads.</summary>
    public static PeriodTotals FromFacts(IEnumerable<LeadFact> leads, ReportGrouping by)
    {
        var builder = new Builder();
        builder.Add(leads, by);
        return builder.ToTotals();
    }

    /// <summary>The lead's value for a grouping: see <see cref="Groups"/>.</summary>
    public static string? KeyOf(LeadFact lead, ReportGrouping by) => by switch
    {
        ReportGrouping.Source => lead.Source,
        ReportGrouping.Campaign => lead.Campaign,
        ReportGrouping.Segment => lead.Segment,
        _ => lead.ClaimedById?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Adds up tallies and leads, per group value; the total is the groups' sum.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, QualityTally> _groups = new(StringComparer.Ordinal);
        private QualityTally? _none;

        public void Add(IEnumerable<LeadFact> leads, ReportGrouping by)
        {
            foreach (var lead in leads) Group(KeyOf(lead, by)).Add(lead);
        }

        public PeriodTotals ToTotals()
        {
            var groups = _groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ((string?)g.Key, g.Value)).ToList();
            if (_none is not null) groups.Add((null, _none));
            return new PeriodTotals(QualityTally.Sum(groups.Select(g => g.Value)), groups);
        }

        /// <summary>The tally of the leads with this group value (see <see cref="Groups"/>).</summary>
        public QualityTally Group(string? key) =>
            key is null ? _none ??= new QualityTally()
            : _groups.TryGetValue(key, out var found) ? found : _groups[key] = new QualityTally();
    }
}

/// <summary>
/// Tallies of the leads received in a period, the numbers every report counts. They come from totals kept per day as
/// leads and their feedback are written, and from the leads themselves for the parts of days at the period's edges
/// and for days whose totals are being brought up to date: the same numbers either way.
/// </summary>
public interface IReportTotals
{
    /// <summary>Tallies for the workspace's leads received in [from, to), grouped <paramref name="by"/>.</summary>
    Task<PeriodTotals> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, ReportGrouping by, CancellationToken cancellationToken);
}

/// <summary>A day whose totals are out of date, and how many changes it has had since they were last built.</summary>
public sealed record MarkedDay(string WorkspaceId, int Day, long Changes);

/// <summary>Brings the per-day totals behind <see cref="IReportTotals"/> up to date with what was written since.</summary>
public interface IReportRollups
{
    /// <summary>The days whose totals are out of date.</summary>
    Task<IReadOnlyList<MarkedDay>> ListMarkedAsync(CancellationToken cancellationToken);

    /// <summary>Rebuilds one day's totals; false when it changed again meanwhile (it stays marked).</summary>
    Task<bool> RebuildAsync(MarkedDay day, CancellationToken cancellationToken);
}

public static class ReportRollups
{
    /// <summary>Rebuilds the totals of every marked day at once (a new or upgraded store); returns how many days it rebuilt.</summary>
    public static async Task<int> RefreshAsync(this IReportRollups rollups, CancellationToken cancellationToken)
    {
        var rebuilt = 0;
        foreach (var day in await rollups.ListMarkedAsync(cancellationToken))
        {
            if (await rollups.RebuildAsync(day, cancellationToken)) rebuilt++;
        }
        return rebuilt;
    }
}

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

    private double Rate(int count) => RateOf(count, Leads);

    /// <summary>A share of the leads, as the figures round it.</summary>
    public static double RateOf(int count, int leads) => leads == 0 ? 0 : Math.Round((double)count / leads, 4);
}

public sealed record QualityGroup(string Key, QualityFigures Current, QualityFigures Previous);

public sealed record LeadQualityReport(string WorkspaceId, ReportPeriod Period, ReportGrouping By, QualityGroup Total, IReadOnlyList<QualityGroup> Groups);

/// <summary>Answers "how good were the leads?" for a period, grouped by source, campaign, segment or rep, against the period before.</summary>
public sealed class LeadQualityReports(IReportTotals totals, IFeedbackStore feedback, Workspaces.IPeopleStore people)
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
        var current = await totals.GetAsync(workspaceId, period.From, period.To, by, cancellationToken);
        var previous = await totals.GetAsync(workspaceId, period.PreviousFrom, period.PreviousEnd, by, cancellationToken);
        var labels = (await feedback.ListReasonOptionsAsync(workspaceId, cancellationToken)).ToDictionary(o => o.Code, o => o.Label);
        var everyone = await people.ListAsync(workspaceId, cancellationToken);
        // Reps are grouped by person; two people with the same name are told apart by their user id.
        var names = everyone.ToDictionary(p => p.Id, p => everyone.Count(o => o.DisplayName == p.DisplayName) > 1 ? $"{p.DisplayName} ({p.PlatformUserId})" : p.DisplayName);

        string Display(string? key) => by switch
        {
            ReportGrouping.Rep when key is null => Unclaimed,
            ReportGrouping.Rep => names.GetValueOrDefault(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture), $"person {key}"),
            _ => key ?? NoValue,
        };

        // Groups are told apart without regard to case ("Webinar" and "webinar" are one source).
        Dictionary<string, QualityTally> Merge(PeriodTotals period) =>
            period.Groups.GroupBy(g => Display(g.Key), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Tally : QualityTally.Sum(g.Select(t => t.Tally)), StringComparer.OrdinalIgnoreCase);

        var currentGroups = Merge(current);
        var previousGroups = Merge(previous);
        var none = new QualityTally();
        var groups = currentGroups.Keys.Union(previousGroups.Keys, StringComparer.OrdinalIgnoreCase)
            .Select(key => new QualityGroup(key,
                currentGroups.GetValueOrDefault(key, none).ToFigures(labels),
                previousGroups.GetValueOrDefault(key, none).ToFigures(labels)))
            .OrderByDescending(g => g.Current.Leads)
            .ThenByDescending(g => g.Previous.Leads)
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var total = new QualityGroup("all", current.Total.ToFigures(labels), previous.Total.ToFigures(labels));
        return new LeadQualityReport(workspaceId, period, by, total, groups);
    }

    internal static QualityFigures Figures(IReadOnlyCollection<LeadFact> leads, IReadOnlyDictionary<string, string> reasonLabels)
    {
        var tally = new QualityTally();
        foreach (var lead in leads) tally.Add(lead);
        return tally.ToFigures(reasonLabels);
    }

    /// <summary>The middle value; the mean of the two middle values for an even count (see <see cref="QualityTally.Median"/>).</summary>
    internal static double? Median(IReadOnlyList<double> values) => QualityTally.Median([.. values]);

    /// <summary>The nearest-rank percentile (see <see cref="QualityTally.Percentile"/>).</summary>
    internal static double? Percentile(IReadOnlyList<double> values, double p) => QualityTally.Percentile([.. values], p);
}
