using System.Globalization;
using Quartz;
using TeamBot.Core.Handoffs;

namespace TeamBot.Host.Scheduling;

/// <summary>SLA timers as Quartz triggers in TeamBot's database: one per lead, replaced when rescheduled, fired late (never skipped) after downtime.</summary>
internal sealed partial class QuartzSlaScheduler(ISchedulerFactory factory, ILogger<QuartzSlaScheduler> logger) : ISlaScheduler
{
    public const string Group = "sla";

    public async Task ScheduleAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        try
        {
            await SetAsync(leadId, dueAt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change that asked for the timer is already saved; the sweep sets the timer later.
            LogFailed(logger, ex, leadId);
        }
    }

    public async Task EnsureAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (!await scheduler.Exists(new TriggerKey(Key(leadId), Group), cancellationToken)) await ScheduleAsync(leadId, dueAt, cancellationToken);
    }

    private static string Key(long leadId) => "lead-" + leadId.ToString(CultureInfo.InvariantCulture);

    private async Task SetAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var key = Key(leadId);
        var job = JobBuilder.Create<SlaJob>()
            .WithIdentity(key, Group)
            .UsingJobData(SlaJob.LeadIdKey, leadId.ToString(CultureInfo.InvariantCulture))
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key, Group)
            .StartAt(dueAt)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting the SLA timer of lead {LeadId} failed; the next sweep sets it")]
    private static partial void LogFailed(ILogger logger, Exception error, long leadId);
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
