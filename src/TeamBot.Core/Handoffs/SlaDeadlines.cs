using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Handoffs;

/// <summary>When a lead's SLA period ends: its minutes counted on the workspace's clock (working hours by default).</summary>
public sealed class SlaDeadlines(IWorkspaceSettings settings, IWorkCalendars calendars)
{
    /// <summary>The end of one SLA period starting at <paramref name="from"/>, or null when the workspace has no SLA.</summary>
    public async Task<DateTimeOffset?> DueAsync(string workspaceId, DateTimeOffset from, CancellationToken cancellationToken) =>
        (await ForWorkspaceAsync(workspaceId, cancellationToken))(from);

    /// <summary>The workspace's deadline rule, read once: for work that must not touch the database between two steps.</summary>
    public async Task<Func<DateTimeOffset, DateTimeOffset?>> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var routing = settings.Routing(workspaceId);
        if (routing.Sla is not { } sla) return _ => null;
        if (routing.SlaClock == SlaClock.Always) return from => from + sla;
        var calendar = await calendars.ForWorkspaceAsync(workspaceId, cancellationToken);
        return from => calendar.AddWorkingTime(from, sla);
    }
}
