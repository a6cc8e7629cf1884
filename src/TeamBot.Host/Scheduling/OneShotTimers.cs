using Microsoft.EntityFrameworkCore;
using Quartz;
using TeamBot.Data;

namespace TeamBot.Host.Scheduling;

/// <summary>
/// One-shot timers as Quartz triggers in TeamBot's database, shared by the SLA, stand-up and digest schedulers: each
/// timer is a job and its trigger under one key, replaced when set again, fired late (never skipped) after downtime.
/// </summary>
internal sealed partial class OneShotTimers(ISchedulerFactory factory, IServiceScopeFactory scopes, ILogger<OneShotTimers> logger)
{
    /// <summary>
    /// Sets the timer <paramref name="key"/> to run <typeparamref name="TJob"/> with <paramref name="data"/> at
    /// <paramref name="at"/>. A failure is logged, not thrown: what asked for the timer is saved, and the sweep sets it later.
    /// </summary>
    public async Task SetAsync<TJob>(JobKey key, DateTimeOffset at, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
        where TJob : IJob
    {
        try
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            var job = JobBuilder.Create<TJob>().WithIdentity(key);
            foreach (var (name, value) in data) job = job.UsingJobData(name, value);
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key.Name, key.Group)
                .StartAt(at)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(job.Build(), trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, key.Group, key.Name);
        }
    }

    /// <summary>
    /// When the timer fires next, or null when it will not: there is none, or it has fired. A trigger that fired stays
    /// stored until its job completes, so one whose process was killed while it ran looks present but never fires again
    /// (Quartz removes it at the next start): a sweep must set such a timer again. Its job checks its own work, so a timer
    /// set again while its job still runs is harmless.
    /// </summary>
    public async Task<DateTimeOffset?> DueAsync(JobKey key, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        return (await scheduler.GetTrigger(new TriggerKey(key.Name, key.Group), cancellationToken))?.NextFireTimeUtc;
    }

    /// <summary>
    /// The names of the timers of <paramref name="group"/> that are stored, in one query. Read straight from Quartz's trigger
    /// table (in TeamBot's database, on both providers) rather than through <c>GetTriggerKeys</c>, which builds a trigger
    /// header and key for each: for the 30,000 open leads of a busy store that allocated 21 MB every sweep, against the
    /// names alone here.
    /// </summary>
    public async Task<HashSet<string>> NamesAsync(string group, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeamBotDbContext>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var name in db.Database.SqlQuery<string>(
                           $"SELECT trigger_name AS \"Value\" FROM qrtz_triggers WHERE sched_name = {scheduler.SchedulerName} AND trigger_group = {group}")
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            names.Add(name);
        }
        return names;
    }

    public async Task RemoveAsync(JobKey key, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(key, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting the {Group} timer {Key} failed; the next sweep sets it")]
    private static partial void LogFailed(ILogger logger, Exception error, string group, string key);
}
