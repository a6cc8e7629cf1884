using Quartz;
using TeamBot.Core.Digests;

namespace TeamBot.Host.Scheduling;

/// <summary>Weekly digest timers as Quartz triggers in TeamBot's database: one per workspace, for its next due time, fired late (never skipped) after downtime.</summary>
internal sealed partial class QuartzDigestScheduler(ISchedulerFactory factory, ILogger<QuartzDigestScheduler> logger) : IDigestScheduler
{
    public const string Group = "digest";

    public async Task ScheduleAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            var job = JobBuilder.Create<DigestJob>()
                .WithIdentity(workspaceId, Group)
                .UsingJobData(DigestJob.WorkspaceKey, workspaceId)
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(workspaceId, Group)
                .StartAt(dueAt)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The due time is stored; the sweep sets the timer later.
            LogFailed(logger, ex, workspaceId);
        }
    }

    public async Task EnsureAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(new TriggerKey(workspaceId, Group), cancellationToken);
        if (trigger?.StartTimeUtc != dueAt) await ScheduleAsync(workspaceId, dueAt, cancellationToken);
    }

    public async Task CancelAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.UnscheduleJob(new TriggerKey(workspaceId, Group), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting the digest timer of workspace {Workspace} failed; the next sweep sets it")]
    private static partial void LogFailed(ILogger logger, Exception error, string workspace);
}

/// <summary>Fires the weekly digest of one workspace. A run that fails is tried again in a minute; the stored due time keeps it to one post.</summary>
internal sealed partial class DigestJob(WeeklyDigests digests, IDigestScheduler scheduler, TimeProvider clock, ILogger<DigestJob> logger) : IJob
{
    public const string WorkspaceKey = "workspace";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var workspaceId = context.MergedJobDataMap.GetString(WorkspaceKey)!;
        try
        {
            await digests.RunScheduledAsync(workspaceId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRetry(logger, ex, workspaceId);
            await scheduler.ScheduleAsync(workspaceId, clock.GetUtcNow().AddMinutes(1), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The weekly digest of workspace {Workspace} failed; trying again in a minute")]
    private static partial void LogRetry(ILogger logger, Exception error, string workspace);
}
