using System.Globalization;
using Quartz;
using TeamBot.Core.Handoffs;

namespace TeamBot.Host.Scheduling;

/// <summary>SLA timers: one per lead, replaced when rescheduled, fired late (never skipped) after downtime.</summary>
internal sealed class QuartzSlaScheduler(OneShotTimers timers) : ISlaScheduler
{
    public const string Group = "sla";

    public Task ScheduleAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        timers.SetAsync<SlaJob>(Key(leadId), dueAt, new Dictionary<string, string> { [SlaJob.LeadIdKey] = leadId.ToString(CultureInfo.InvariantCulture) }, cancellationToken);

    /// <summary>
    /// One query tells which of these leads' timers exist; a lead without one gets it. Only a lead already due is looked at
    /// alone: its timer may have fired without finishing (see <see cref="OneShotTimers.DueAsync"/>). Asking Quartz lead by
    /// lead would take one query per open lead every sweep (tens of thousands for a busy team).
    /// </summary>
    public async Task<int> EnsureAllAsync(IReadOnlyList<(long LeadId, DateTimeOffset DueAt)> running, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (running.Count == 0) return 0;
        var keys = running.Select(r => Key(r.LeadId)).ToList();
        var existing = await timers.ExistingAsync(Group, keys.ConvertAll(k => k.Name), cancellationToken);
        var set = 0;
        for (var i = 0; i < running.Count; i++)
        {
            var (leadId, dueAt) = running[i];
            var key = keys[i];
            var missing = !existing.Contains(key.Name) || (dueAt <= now && await timers.DueAsync(key, cancellationToken) is null);
            if (!missing) continue;
            await ScheduleAsync(leadId, dueAt, cancellationToken);
            set++;
        }
        return set;
    }

    private static JobKey Key(long leadId) => new("lead-" + leadId.ToString(CultureInfo.InvariantCulture), Group);
}

/// <summary>Fires the SLA check of one lead. A check that fails is tried again shortly, so a passing database fault never drops a timer.</summary>
internal sealed partial class SlaJob(SlaService sla, ISlaScheduler scheduler, TimeProvider clock, ILogger<SlaJob> logger) : IJob
{
    public const string LeadIdKey = "leadId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var leadId = long.Parse(context.MergedJobDataMap.GetString(LeadIdKey)!, CultureInfo.InvariantCulture);
        try
        {
            await sla.CheckAsync(leadId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRetry(logger, ex, leadId);
            await scheduler.ScheduleAsync(leadId, clock.GetUtcNow().AddSeconds(30), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SLA check of lead {LeadId} failed; trying again in 30 seconds")]
    private static partial void LogRetry(ILogger logger, Exception error, long leadId);
}
