using Quartz;
using TeamBot.Core.Privacy;

namespace TeamBot.Host.Scheduling;

/// <summary>
/// The retention purge: with <c>Privacy:RetentionDays</c> set, erases the personal data of older leads every
/// <c>Privacy:PurgeEvery</c> (first at start). Idempotent: erased leads are never picked again, so a run that
/// fires twice, or fails half-way, only finishes the work.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class RetentionJob(PersonalDataService personalData, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "privacy");

    public static void Schedule(IQuartzBuilder quartz, PrivacySettings settings)
    {
        if (!settings.RetentionEnabled) return;
        quartz.ScheduleJob<RetentionJob>(
            trigger => trigger.WithIdentity(Key.Name, Key.Group)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(settings.PurgeEvery).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)),
            job => job.WithIdentity(Key));
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await personalData.PurgeExpiredAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each batch committed stays erased; the next run goes on from there.
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention purge failed; the next run goes on where it stopped")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
