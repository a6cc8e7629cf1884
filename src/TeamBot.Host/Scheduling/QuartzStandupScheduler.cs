using System.Globalization;
using Quartz;
using TeamBot.Core.Standups;

namespace TeamBot.Host.Scheduling;

/// <summary>
/// Stand-up timers as one-shot Quartz triggers in TeamBot's database: one per stand-up for its next prompt, one per
/// open run for its reminder and close. Each is set for one local occurrence at a time (never a fixed UTC interval),
/// so daylight-saving changes never shift a prompt. After downtime a trigger fires late; Core decides by the grace period.
/// </summary>
internal sealed partial class QuartzStandupScheduler(ISchedulerFactory factory, ILogger<QuartzStandupScheduler> logger) : IStandupScheduler
{
    public const string Group = "standups";

    public Task SchedulePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SafelyAsync(PromptKey(standupId), at, StandupJob.Prompt, standupId, cancellationToken);

    public Task ScheduleRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SafelyAsync(RunKey(runId), at, StandupJob.Run, runId, cancellationToken);

    public async Task CancelPromptAsync(long standupId, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(new JobKey(PromptKey(standupId), Group), cancellationToken);
    }

    public async Task EnsurePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (!await scheduler.Exists(new TriggerKey(PromptKey(standupId), Group), cancellationToken)) await SchedulePromptAsync(standupId, at, cancellationToken);
    }

    public async Task EnsureRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (!await scheduler.Exists(new TriggerKey(RunKey(runId), Group), cancellationToken)) await ScheduleRunAsync(runId, at, cancellationToken);
    }

    public static string PromptKey(long standupId) => "standup-" + standupId.ToString(CultureInfo.InvariantCulture);

    public static string RunKey(long runId) => "run-" + runId.ToString(CultureInfo.InvariantCulture);

    private async Task SafelyAsync(string key, DateTimeOffset at, string kind, long id, CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            var job = JobBuilder.Create<StandupJob>()
                .WithIdentity(key, Group)
                .UsingJobData(StandupJob.KindKey, kind)
                .UsingJobData(StandupJob.IdKey, id.ToString(CultureInfo.InvariantCulture))
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key, Group)
                .StartAt(at)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What asked for the timer is saved; the sweep sets the timer later.
            LogFailed(logger, ex, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting the stand-up timer {Key} failed; the next sweep sets it")]
    private static partial void LogFailed(ILogger logger, Exception error, string key);
}

/// <summary>Fires a stand-up's prompt, or a run's reminder or close. A failure is tried again shortly, so a passing database fault drops nothing.</summary>
internal sealed partial class StandupJob(StandupService standups, IStandupScheduler scheduler, TimeProvider clock, ILogger<StandupJob> logger) : IJob
{
    public const string KindKey = "kind";
    public const string IdKey = "id";
    public const string Prompt = "prompt";
    public const string Run = "run";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var kind = context.MergedJobDataMap.GetString(KindKey);
        var id = long.Parse(context.MergedJobDataMap.GetString(IdKey)!, CultureInfo.InvariantCulture);
        try
        {
            if (kind == Prompt) await standups.FireAsync(id, cancellationToken);
            else await standups.AdvanceRunAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRetry(logger, ex, kind, id);
            var again = clock.GetUtcNow().AddSeconds(30);
            if (kind == Prompt) await scheduler.SchedulePromptAsync(id, again, cancellationToken);
            else await scheduler.ScheduleRunAsync(id, again, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stand-up {Kind} {Id} failed; trying again in 30 seconds")]
    private static partial void LogRetry(ILogger logger, Exception error, string? kind, long id);
}
