using TeamBot.Core.Digests;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Goals;

/// <summary>
/// The digest's goal section: a line and a bar per active goal that is running or ended within the window, as it
/// stood at the window's end. Goals behind (or missed) are the heaviest talking points, then those at risk.
/// </summary>
public sealed class GoalDigest(IGoalStore goals, GoalService service, IWorkCalendars calendars) : IDigestContributor
{
    public int Order => 10;

    public async Task<DigestSection?> ContributeAsync(DigestWindow window, CancellationToken cancellationToken)
    {
        var calendar = await calendars.ForWorkspaceAsync(window.WorkspaceId, cancellationToken);
        var firstDay = calendar.LocalDate(window.From);
        var active = await goals.ListAsync(window.WorkspaceId, GoalStatusFilter.Active, cancellationToken);
        var progress = (await service.ProgressAsync(window.WorkspaceId, active, window.To, cancellationToken))
            .Where(p => p.State == GoalState.Running || p.State == GoalState.Ended && p.Goal.Last >= firstDay)
            .ToList();
        if (progress.Count == 0) return null;

        var lines = progress.Select(p => $"{p.Goal.Name} ({p.Goal.Period.Label}): {GoalReports.Line(p)}. {GoalReports.Explain(p)}").ToList();
        var bars = progress.Select(p => new DigestBar(p.Goal.Name, (double)(p.Actual ?? p.Goal.StartValue ?? 0), (double)p.Goal.Target,
            GoalReports.Words(p.Verdict) + (GoalMetrics.LowerIsBetter(p.Goal.Metric) ? "; lower is better" : ""))).ToList();
        var points = progress.Select(Point).OfType<TalkingPoint>().ToList();
        return new DigestSection("goals", "Goal progress", lines, points, bars);
    }

    /// <summary>
    /// On the digest's 0-to-1 scale: behind is "act on it" (0.85 and up, the more so the further behind), a miss just
    /// recorded and at risk are "a problem", a fresh win is "good to know".
    /// </summary>
    internal static TalkingPoint? Point(GoalProgress p)
    {
        var name = $"\"{p.Goal.Name}\"";
        var shortfall = 1 - Math.Clamp(p.Share ?? 0, 0, 1);
        return p.Verdict switch
        {
            GoalVerdict.Behind => new TalkingPoint($"{name} is behind: {GoalReports.Explain(p)} What would close the gap?", 0.85 + shortfall / 10),
            GoalVerdict.Missed => new TalkingPoint($"{name} was missed: {GoalReports.Explain(p)} What do we change next time?", 0.75 + shortfall / 10),
            GoalVerdict.AtRisk => new TalkingPoint($"{name} is at risk: {GoalReports.Explain(p)}", 0.65 + shortfall / 10),
            GoalVerdict.Met => new TalkingPoint($"{name} was met: {GoalReports.Explain(p)}", 0.5),
            _ => null,
        };
    }
}
