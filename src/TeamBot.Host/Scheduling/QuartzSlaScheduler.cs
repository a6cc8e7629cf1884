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

    public async Task EnsureAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (await timers.DueAsync(Key(leadId), cancellationToken) is null) await ScheduleAsync(leadId, dueAt, cancellationToken);
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
