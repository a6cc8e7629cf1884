using Quartz;
using TeamBot.Core.Digests;

namespace TeamBot.Host.Scheduling;

/// <summary>Weekly digest timers: one per workspace, for its next due time, fired late (never skipped) after downtime.</summary>
internal sealed class QuartzDigestScheduler(OneShotTimers timers) : IDigestScheduler
{
    public const string Group = "digest";

    public Task ScheduleAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        timers.SetAsync<DigestJob>(new JobKey(workspaceId, Group), dueAt, new Dictionary<string, string> { [DigestJob.WorkspaceKey] = workspaceId }, cancellationToken);

    public async Task EnsureAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (await timers.DueAsync(new JobKey(workspaceId, Group), cancellationToken) != dueAt) await ScheduleAsync(workspaceId, dueAt, cancellationToken);
    }

    public Task CancelAsync(string workspaceId, CancellationToken cancellationToken) => timers.RemoveAsync(new JobKey(workspaceId, Group), cancellationToken);
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
