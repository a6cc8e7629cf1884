using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Handoffs;

/// <summary>Fires <see cref="SlaService.CheckAsync"/> for a lead at a time; implementations must survive restarts.</summary>
public interface ISlaScheduler
{
    /// <summary>Sets the lead's timer, replacing any earlier one. A failure is logged, not thrown: the sweep repairs it.</summary>
    Task ScheduleAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the timer of each of these leads that has none, or that should have fired by <paramref name="now"/> and
    /// will not (a sweep after restarts or failures). Returns how many it set.
    /// </summary>
    Task<int> EnsureAllAsync(IReadOnlyList<(long LeadId, DateTimeOffset DueAt)> running, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// Speed-to-lead: a posted lead nobody claims gets a reminder in its thread after the SLA, and after another
/// SLA period it is re-routed to the next rep or escalated to the admins. Each step happens once: the step is
/// taken only by whoever moves the lead's SLA stage, so a timer that fires twice changes nothing.
/// </summary>
public sealed partial class SlaService(
    ILeadStore leads,
    IWorkspaceStore workspaces,
    IPeopleStore people,
    IOutboxStore outbox,
    Router router,
    IWorkspaceSettings workspaceSettings,
    IUnitOfWork unitOfWork,
    ISlaScheduler scheduler,
    SlaDeadlines deadlines,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<SlaService> logger)
{
    public const int Waiting = 0;
    public const int Reminded = 1;
    public const int Escalated = 2;

    public async Task CheckAsync(long leadId, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead is null || lead.IsClaimed || lead.SlaDueAt is not { } due) return;

        var now = clock.GetUtcNow();
        if (now < due - TimeSpan.FromSeconds(1))
        {
            await scheduler.ScheduleAsync(leadId, due, cancellationToken);
            return;
        }

        var workspace = await workspaces.FindAsync(lead.WorkspaceId, cancellationToken);
        var routing = workspace is null ? null : workspaceSettings.Routing(workspace.Id);
        if (workspace is null || routing?.Sla is not { } sla)
        {
            await leads.RestartSlaAsync(leadId, null, cancellationToken);
            return;
        }

        var waited = Durations.Spoken(now - (lead.PostedAt ?? lead.ReceivedAt));
        var next = lead.SlaStage switch
        {
            Waiting => await RemindAsync(lead, sla, await deadlines.DueAsync(workspace.Id, now, cancellationToken) ?? now + sla, waited, now, cancellationToken),
            Reminded => await EscalateAsync(workspace, lead, routing, await deadlines.DueAsync(workspace.Id, now, cancellationToken) ?? now + sla, waited, now, cancellationToken),
            _ => null,
        };
        if (next is { } nextDue) await scheduler.ScheduleAsync(leadId, nextDue, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
    }

    /// <summary>Makes sure every lead whose SLA clock runs has its timer (after a restart, or a timer that could not be set).</summary>
    /// <remarks>
    /// The leads are read in chunks of <see cref="RecoverChunk"/>, each checked against the timers in one query, rather than
    /// all at once: lists of every unclaimed lead and every timer's name lived long enough to reach the GC's oldest
    /// generation and stayed there (in the <c>soak</c> benchmark's first sweep, 30,000 open leads: the managed heap 12.6 →
    /// 17.4 MB, the large object heap 0.2 → 2.3 MB; in chunks 12.6 → 12.9 MB and no large objects).
    /// </remarks>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var running = 0;
        await foreach (var chunk in leads.ReadRunningSlaAsync(cancellationToken).Chunk(RecoverChunk).WithCancellation(cancellationToken))
        {
            running += chunk.Length;
            await scheduler.EnsureAllAsync(chunk, now, cancellationToken);
        }
        return running;
    }

    /// <summary>How many leads the recovery sweep checks at once.</summary>
    public const int RecoverChunk = 500;

    private async Task<DateTimeOffset?> RemindAsync(Lead lead, TimeSpan sla, DateTimeOffset nextDue, string waited, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notify = lead.Route?.AssigneeId is { } assignee ? [assignee] : lead.Route?.Pool ?? [];
        var text = lead.Route?.AssigneeId is not null
            ? $"⏰ This lead has waited {waited} for its assignee. Claim it now, or it moves on in {Durations.Spoken(sla)}."
            : $"⏰ Nobody has claimed this lead in {waited}. Sales reps: claim it with the Claim button or a reaction. It escalates in {Durations.Spoken(sla)}.";

        var moved = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await leads.TryAdvanceSlaAsync(lead.Id, Waiting, Reminded, nextDue, ct)) return false;
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, text, notify), now, ct);
            await leads.AddAssignmentRecordAsync(new AssignmentRecord(lead.Id, AssignmentKind.Reminded, null, $"SLA reminder after {waited} without a claim.", now), ct);
            return true;
        }, cancellationToken);
        if (moved) LogStep(logger, lead.Id, "reminded");
        return moved ? nextDue : null;
    }

    private async Task<DateTimeOffset?> EscalateAsync(
        Workspace workspace, Lead lead, RoutingSettings routing, DateTimeOffset nextDue, string waited, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reps = (await people.ListAsync(workspace.Id, cancellationToken)).Where(p => p.Is(TeamRoles.Sales)).ToList();
        var reroute = routing.Escalation switch
        {
            SlaEscalation.Reroute => true,
            SlaEscalation.Admins => false,
            _ => lead.Route?.AssigneeId is not null,
        };

        if (reroute && lead.Reroutes < reps.Count)
        {
            var rotation = new RoutingSettings { Mode = RoutingMode.RoundRobin, MaxOpenLeadsPerRep = routing.MaxOpenLeadsPerRep };
            var exclude = lead.Route?.AssigneeId is { } current ? new HashSet<long> { current } : new HashSet<long>();
            var rerouted = await unitOfWork.InTransactionAsync(async ct =>
            {
                var route = await router.RouteAsync(workspace, lead, rotation, exclude, ct);
                if (route.AssigneeId is not { } assignee) return (LeadRoute?)null;
                if (!await leads.TryAdvanceSlaAsync(lead.Id, Reminded, Waiting, nextDue, ct)) return null;

                var previous = lead.Route?.AssigneeId is { } old ? (await people.FindAsync(old, ct))?.DisplayName : null;
                var newName = (await people.FindAsync(assignee, ct))?.DisplayName ?? "the next rep";
                var reason = (previous is null ? $"Nobody claimed it within {waited}" : $"{previous} did not claim it within {waited}")
                             + $", so it was re-routed to {newName}. {route.Reason}";
                await leads.SetRouteAsync(lead.Id, route with { Reason = reason }, reroute: true, ct);
                await outbox.EnqueueOnceAsync(lead.WorkspaceId, new RefreshCard(lead.Id), now, ct);
                await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, "↪️ " + reason, [assignee]), now, ct);
                return route;
            }, cancellationToken);
            if (rerouted is not null)
            {
                LogStep(logger, lead.Id, "re-routed");
                return nextDue;
            }
        }

        var admins = (await people.ListAsync(workspace.Id, cancellationToken)).Where(p => p.Is(TeamRoles.Admin)).Select(p => p.Id).ToList();
        var escalated = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await leads.TryAdvanceSlaAsync(lead.Id, Reminded, Escalated, null, ct)) return false;
            var summary = $"Lead #{lead.Id} ({lead.Data.DisplayName}{(lead.Data.Company is null ? "" : ", " + lead.Data.Company)})";
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id,
                admins.Count > 0
                    ? $"🚨 This lead has waited {waited} without a claim. Escalated to the admins: please assign it."
                    : $"🚨 This lead has waited {waited} without a claim, and this workspace has no admin to escalate to.",
                admins), now, ct);
            foreach (var admin in admins)
            {
                await outbox.EnqueueAsync(lead.WorkspaceId, new SendDirect(lead.WorkspaceId, admin,
                    $"🚨 {summary} has waited {waited} without a claim. Please assign it: /leads assign lead:{lead.Id} rep:<name>, or ask a rep to claim it."), now, ct);
            }
            await leads.AddAssignmentRecordAsync(new AssignmentRecord(lead.Id, AssignmentKind.Escalated, null, $"Escalated to the admins after {waited} without a claim.", now), ct);
            return true;
        }, cancellationToken);
        if (escalated) LogStep(logger, lead.Id, "escalated to the admins");
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA for lead {LeadId}: {Step}")]
    private static partial void LogStep(ILogger logger, long leadId, string step);
}
