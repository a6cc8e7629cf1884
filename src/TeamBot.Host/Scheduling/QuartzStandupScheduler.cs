using System.Globalization;
using Quartz;
using TeamBot.Core.Standups;

namespace TeamBot.Host.Scheduling;

/// <summary>
/// Stand-up timers as one-shot Quartz triggers in TeamBot's database: one per stand-up for its next prompt, one per
/// open run for its reminder and close. Each is set for one local occurrence at a time (never a fixed UTC interval),
/// so daylight-saving changes never shift a prompt. After downtime a trigger fires late; Core decides by the grace period.
/// </summary>
internal sealed class QuartzStandupScheduler(OneShotTimers timers) : IStandupScheduler
{
    public const string Group = "standups";

    public Task SchedulePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetAsync(PromptKey(standupId), at, StandupJob.Prompt, standupId, cancellationToken);

    public Task ScheduleRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetAsync(RunKey(runId), at, StandupJob.Run, runId, cancellationToken);

    public Task CancelPromptAsync(long standupId, CancellationToken cancellationToken) =>
        timers.RemoveAsync(new JobKey(PromptKey(standupId), Group), cancellationToken);

    public async Task EnsurePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await timers.DueAsync(new JobKey(PromptKey(standupId), Group), cancellationToken) is null) await SchedulePromptAsync(standupId, at, cancellationToken);
    }

    public async Task EnsureRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await timers.DueAsync(new JobKey(RunKey(runId), Group), cancellationToken) is null) await ScheduleRunAsync(runId, at, cancellationToken);
    }

    public static string PromptKey(long standupId) => "standup-" + standupId.ToString(CultureInfo.InvariantCulture);

    public static string RunKey(long runId) => "run-" + runId.ToString(CultureInfo.InvariantCulture);

    private Task SetAsync(string key, DateTimeOffset at, string kind, long id, CancellationToken cancellationToken) =>
        timers.SetAsync<StandupJob>(new JobKey(key, Group), at, new Dictionary<string, string>
        {
            [StandupJob.KindKey] = kind,
            [StandupJob.IdKey] = id.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
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
