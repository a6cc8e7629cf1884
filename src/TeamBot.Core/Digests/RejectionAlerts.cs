using Humanizer;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Digests;

/// <summary>
/// Tells marketing the same day when a source's or campaign's rejections rise: when, over the leads of the last 7 days,
/// its rejection rate is above <see cref="AlertSettings.RejectionRate"/> with at least <see cref="AlertSettings.MinLeads"/>
/// leads. Checked whenever a rep rejects a lead or gives a reason, so the alert follows the rejection that tipped it, and
/// by the recovery sweep every few minutes, for rates that rise without a new rejection (a new lead lifts a source to the
/// minimum count, or accepted leads age out of the 7 days). Each source (and campaign) is alerted at most once per week
/// (Monday to Sunday in the workspace's time zone).
/// </summary>
public sealed partial class RejectionAlerts(
    IWorkspaceStore workspaces,
    IDigestStore digests,
    ILeadFactsQuery facts,
    IFeedbackStore feedback,
    IDigestSettings settings,
    IRejectionAlertStore alerts,
    IOutboxStore outbox,
    IUnitOfWork unitOfWork,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<RejectionAlerts> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>A source or campaign over the threshold.</summary>
    public sealed record Finding(string Kind, string Key, QualityFigures Figures);

    /// <summary>Checks the workspace and sends the alerts that are due; returns how many were sent. Never fails the caller.</summary>
    public async Task<int> CheckAsync(string workspaceId, CancellationToken cancellationToken)
    {
        try
        {
            return await CheckOrThrowAsync(workspaceId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, workspaceId);
            return 0;
        }
    }

    /// <summary>Checks every workspace (the periodic sweep).</summary>
    public async Task<int> CheckAllAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var workspaceId in await digests.ListWorkspaceIdsAsync(cancellationToken)) sent += await CheckAsync(workspaceId, cancellationToken);
        return sent;
    }

    private async Task<int> CheckOrThrowAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var own = settings.Alerts(workspaceId);
        if (!own.Enabled) return 0;
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        if (workspace is null) return 0;

        var now = clock.GetUtcNow();
        // Up to and including this moment: the lead or rejection that just happened counts.
        var (from, to) = (now - Window, now.AddMilliseconds(1));
        var week = DigestWeek.Containing(DigestWeek.LocalDate(now, workspace.TimeZone), workspace.TimeZone);
        // The database counts first; the week's leads are read (for the reasons) only when a source or campaign not
        // alerted yet this week is over the level, so a check after every rejection stays cheap on a busy week.
        var sentBefore = await alerts.ListSentAsync(workspaceId, week.Start, cancellationToken);
        if (!AnyNewOver(await alerts.CountAsync(workspaceId, from, to, cancellationToken), sentBefore, own)) return 0;

        var recent = await facts.GetAsync(workspaceId, from, to, cancellationToken);
        var labels = (await feedback.ListReasonOptionsAsync(workspaceId, cancellationToken)).ToDictionary(o => o.Code, o => o.Label);
        var findings = Find(recent, labels, own).Where(f => !sentBefore.Contains((f.Kind, f.Key.ToLowerInvariant()))).ToList();
        if (findings.Count == 0) return 0;

        var channel = own.Channel is { Length: > 0 } configured ? configured : workspace.Places.Marketing;
        var sent = 0;
        foreach (var finding in findings)
        {
            var record = new RejectionAlertRecord(workspaceId, finding.Kind, finding.Key.ToLowerInvariant(), week.Start, finding.Figures.Leads, finding.Figures.Rejected, now);
            var fresh = await unitOfWork.InTransactionAsync(async ct =>
            {
                if (!await alerts.TryRecordAsync(record, ct)) return false;
                await outbox.EnqueueAsync(workspaceId, new PostNote(workspaceId, NoteTarget.ToChannel(channel), Text(finding, own), []), now, ct);
                return true;
            }, cancellationToken);
            if (!fresh) continue;
            sent++;
            LogAlert(logger, workspaceId, finding.Kind);
        }
        if (sent > 0) unitOfWork.AfterCommit(signal.Notify);
        return sent;
    }

    /// <summary>Whether counts show a source or campaign over the threshold that is not in <paramref name="sent"/> (the rule of <see cref="Find"/>).</summary>
    public static bool AnyNewOver(IReadOnlyList<RejectionCount> counts, IReadOnlySet<(string Kind, string Key)> sent, AlertSettings settings)
    {
        foreach (var (kind, group) in BySourceAndCampaign(counts, c => c.Source, c => c.Campaign))
        {
            var (leads, rejected) = (group.Sum(c => c.Leads), group.Sum(c => c.Rejected));
            if (Over(leads, rejected, settings) && !sent.Contains((kind, group.Key.ToLowerInvariant()))) return true;
        }
        return false;
    }

    private static bool Over(int leads, int rejected, AlertSettings settings) =>
        leads >= settings.MinLeads && rejected > 0 && QualityFigures.RateOf(rejected, leads) > settings.RejectionRate;

    /// <summary>Sources and campaigns (with a value) whose rejection rate is above the threshold, with enough leads.</summary>
    public static IReadOnlyList<Finding> Find(IReadOnlyCollection<LeadFact> recent, IReadOnlyDictionary<string, string> labels, AlertSettings settings)
    {
        var findings = new List<Finding>();
        foreach (var (kind, group) in BySourceAndCampaign(recent, f => f.Source, f => f.Campaign))
        {
            var figures = LeadQualityReports.Figures(group.ToList(), labels);
            if (Over(figures.Leads, figures.Rejected, settings))
            {
                findings.Add(new Finding(kind, group.Key, figures));
            }
        }
        return findings;
    }

    /// <summary>The items grouped by source, then by campaign (those with a value; spellings that differ only in case together), in key order.</summary>
    private static IEnumerable<(string Kind, IGrouping<string, T> Group)> BySourceAndCampaign<T>(
        IEnumerable<T> items, Func<T, string?> source, Func<T, string?> campaign)
    {
        foreach (var (kind, key) in new[] { ("source", source), ("campaign", campaign) })
        {
            foreach (var group in items.Where(i => key(i) is not null).GroupBy(i => key(i)!, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
            {
                yield return (kind, group);
            }
        }
    }

    public static string Text(Finding finding, AlertSettings settings)
    {
        var f = finding.Figures;
        var reasons = f.TopReasons.Count == 0
            ? "No reasons given yet."
            : "Top reasons: " + string.Join(", ", f.TopReasons.Select(r => $"{r.Label.ToLowerInvariant()} ({r.Count})")) + ".";
        return $"🚨 Rejections are up for the {finding.Kind} {finding.Key}: {f.Rejected} of {"lead".ToQuantity(f.Leads)} of the last 7 days were rejected " +
               $"({LeadQualityCard.Percent(f.RejectionRate)}; the alert level is {LeadQualityCard.Percent(settings.RejectionRate)}). {reasons} " +
               $"Details: /leads quality period:7d by:{finding.Kind}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejection alert sent to marketing in workspace {Workspace} for a {Kind}")]
    private static partial void LogAlert(ILogger logger, string workspace, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the rejection alerts of workspace {Workspace} failed; the next rejection checks again")]
    private static partial void LogFailed(ILogger logger, Exception error, string workspace);
}
