using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Digests;

/// <summary>One group (a source or a campaign) of a digest week, with the week before.</summary>
public sealed record DigestGroup(string Key, QualityFigures Week, QualityFigures Before);

/// <summary>How fast claimed leads were claimed, from their posting in chat (their arrival, if never posted) to the claim, against the SLA.</summary>
public sealed record SpeedToLead(
    double? MedianSeconds,
    double? P95Seconds,
    double? PreviousMedianSeconds,
    double? SlaMinutes,
    int Claimed,
    int WithinSla,
    int UpToTwiceSla,
    int BeyondTwiceSla,
    int Unclaimed);

/// <summary>Everything the weekly digest says, computed once and shown alike in chat, on the page and in the JSON API.</summary>
public sealed record WeeklyDigest(
    string WorkspaceId,
    string WorkspaceName,
    DigestWeek Week,
    QualityFigures Total,
    QualityFigures Before,
    IReadOnlyList<DigestGroup> BySource,
    IReadOnlyList<DigestGroup> ByCampaign,
    SpeedToLead Speed,
    IReadOnlyList<ReasonCount> RejectionReasons,
    IReadOnlyList<DigestSection> Sections,
    IReadOnlyList<TalkingPoint> TalkingPoints);

/// <summary>Computes a workspace's digest for a week from its lead facts and the sections other features contribute.</summary>
public sealed class DigestBuilder(
    ILeadFactsQuery facts,
    IFeedbackStore feedback,
    IWorkspaceSettings workspaceSettings,
    IDigestSettings digestSettings,
    IWorkCalendars calendars,
    IEnumerable<IDigestContributor> contributors)
{
    public const int TalkingPointCount = 3;

    public async Task<WeeklyDigest> BuildAsync(Workspace workspace, DigestWeek week, CancellationToken cancellationToken)
    {
        var current = await facts.GetAsync(workspace.Id, week.From, week.To, cancellationToken);
        var previous = await facts.GetAsync(workspace.Id, week.PreviousFrom, week.From, cancellationToken);
        var labels = (await feedback.ListReasonOptionsAsync(workspace.Id, cancellationToken)).ToDictionary(o => o.Code, o => o.Label);

        var sections = new List<DigestSection>();
        foreach (var contributor in contributors.OrderBy(c => c.Order))
        {
            if (await contributor.ContributeAsync(week.Window(workspace.Id), cancellationToken) is { } section) sections.Add(section);
        }

        var routing = workspaceSettings.Routing(workspace.Id);
        var alerts = digestSettings.Alerts(workspace.Id);
        // The bands use the SLA reminder's own clock: on working hours, a lead posted on Friday evening and claimed first
        // thing on Monday was claimed in time.
        Func<DateTimeOffset, TimeSpan, DateTimeOffset>? slaClock = null;
        if (routing.Sla is not null && routing.SlaClock == SlaClock.WorkingHours)
        {
            slaClock = (await calendars.ForWorkspaceAsync(workspace.Id, cancellationToken)).AddWorkingTime;
        }
        return Compose(workspace, week, current, previous, labels, routing.Sla, alerts, sections, slaClock);
    }

    /// <summary>
    /// The digest from known facts: the arithmetic, without any store. <paramref name="slaClock"/> counts an SLA period
    /// forward from a start (working hours, say); null counts every minute.
    /// </summary>
    public static WeeklyDigest Compose(
        Workspace workspace, DigestWeek week, IReadOnlyCollection<LeadFact> current, IReadOnlyCollection<LeadFact> previous,
        IReadOnlyDictionary<string, string> reasonLabels, TimeSpan? sla, AlertSettings alerts, IReadOnlyList<DigestSection> sections,
        Func<DateTimeOffset, TimeSpan, DateTimeOffset>? slaClock = null)
    {
        var total = LeadQualityReports.Figures(current, reasonLabels);
        var before = LeadQualityReports.Figures(previous, reasonLabels);
        var bySource = Groups(current, previous, f => f.Source, reasonLabels);
        var byCampaign = Groups(current, previous, f => f.Campaign, reasonLabels);
        var speed = Speed(current, previous, sla, slaClock);
        var reasons = current.SelectMany(l => l.ReasonCodes.Distinct())
            .GroupBy(code => code)
            .Select(g => new ReasonCount(g.Key, reasonLabels.GetValueOrDefault(g.Key, g.Key), g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var digest = new WeeklyDigest(workspace.Id, workspace.Name, week, total, before, bySource, byCampaign, speed, reasons, sections, []);
        var points = DigestTalkingPoints.Mine(digest, alerts).Concat(sections.SelectMany(s => s.TalkingPoints));
        return digest with { TalkingPoints = DigestTalkingPoints.Top(points, TalkingPointCount) };
    }

    private static List<DigestGroup> Groups(
        IReadOnlyCollection<LeadFact> current, IReadOnlyCollection<LeadFact> previous, Func<LeadFact, string?> key, IReadOnlyDictionary<string, string> labels)
    {
        string KeyOf(LeadFact fact) => key(fact) ?? LeadQualityReports.NoValue;
        var now = current.GroupBy(KeyOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var then = previous.GroupBy(KeyOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        return now.Keys.Union(then.Keys, StringComparer.OrdinalIgnoreCase)
            .Select(k => new DigestGroup(k, LeadQualityReports.Figures(now.GetValueOrDefault(k) ?? [], labels), LeadQualityReports.Figures(then.GetValueOrDefault(k) ?? [], labels)))
            .OrderByDescending(g => g.Week.Leads).ThenByDescending(g => g.Before.Leads).ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// Speed to lead: median and 95th percentile (the quality report's definitions, in wall-clock time), and how many claims
    /// fell in each SLA band, counted on <paramref name="slaClock"/> like the SLA reminder (every minute when null).
    /// </summary>
    public static SpeedToLead Speed(
        IReadOnlyCollection<LeadFact> current, IReadOnlyCollection<LeadFact> previous, TimeSpan? sla, Func<DateTimeOffset, TimeSpan, DateTimeOffset>? slaClock = null)
    {
        static List<double> Waits(IEnumerable<LeadFact> leads) => leads
            .Where(l => l.ClaimedAt is not null)
            .Select(l => Math.Max(0, (l.ClaimedAt!.Value - (l.PostedAt ?? l.ReceivedAt)).TotalSeconds))
            .Order()
            .ToList();

        var waits = Waits(current);
        var before = Waits(previous);
        int within = 0, twice = 0, beyond = 0;
        if (sla is { } limit)
        {
            var due = slaClock ?? ((start, period) => start + period);
            foreach (var lead in current.Where(l => l.ClaimedAt is not null))
            {
                var start = lead.PostedAt ?? lead.ReceivedAt;
                var claimed = lead.ClaimedAt!.Value;
                if (claimed <= due(start, limit)) within++;
                else if (claimed <= due(start, 2 * limit)) twice++;
                else beyond++;
            }
        }
        return new SpeedToLead(
            LeadQualityReports.Median(waits), LeadQualityReports.Percentile(waits, 0.95), LeadQualityReports.Median(before),
            sla?.TotalMinutes, waits.Count, within, twice, beyond, current.Count(l => l.ClaimedAt is null));
    }
}
