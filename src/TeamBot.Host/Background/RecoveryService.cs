using TeamBot.Core.Handoffs;
using TeamBot.Core.Standups;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Background;

/// <summary>
/// Once the bot has started: makes sure every open lead's SLA timer and every stand-up's timers exist, then reports ready, then
/// catches up on missed weekly digests and checks rejection rates; and again every few minutes, so that a timer that could not
/// be set (a busy database) is set soon after.
/// </summary>
internal sealed partial class RecoveryService(
    IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, Readiness readiness, ILogger<RecoveryService> logger) : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(5);

    private static int _startupMemoryReturned;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        // Ready once every timer is set: the digests' catch-up and the rejection check read a week of leads and may
        // build a whole digest, and nothing that arrives meanwhile depends on them, so they run just after.
        var running = await SweepTimersAsync(stoppingToken);
        LogRecovered(logger, running);
        readiness.Ready = true;
        await SweepDigestsAsync(stoppingToken);
        ReturnStartupMemory();

        using var timer = new PeriodicTimer(SweepEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SweepTimersAsync(stoppingToken);
            await SweepDigestsAsync(stoppingToken);
        }
    }

    private async Task<int> SweepTimersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var timers = await scope.ServiceProvider.GetRequiredService<SlaService>().RecoverAsync(cancellationToken);
            return timers + await scope.ServiceProvider.GetRequiredService<StandupService>().RecoverAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            return 0;
        }
    }

    /// <summary>
    /// Gives back what start-up left behind, once per process: migrations, EF's model and first queries, the timers' sweep
    /// and the digests' catch-up allocate far more than the bot keeps (the live heap is then 5–7 MB), and the GC keeps the
    /// memory it grew to. An aggressive collection compacts and returns it to the system: 11 MB less resident memory at idle,
    /// measured with the harness's <c>idle</c> scenario. Once per process, since start-up garbage comes once (a process that
    /// hosts several bots, as the tests do, pays for one full collection, not one each).
    /// </summary>
    private static void ReturnStartupMemory()
    {
        if (Interlocked.Exchange(ref _startupMemoryReturned, 1) == 1) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Weekly digests missed while the bot was down are posted now, every digest timer is made sure of, and rejection rates are checked.</summary>
    private async Task SweepDigestsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Core.Digests.WeeklyDigests>().RecoverAsync(cancellationToken);
            // Rejection rates can also rise without a new rejection (a new lead reaches the minimum count, accepted leads age out).
            await scope.ServiceProvider.GetRequiredService<Core.Digests.RejectionAlerts>().CheckAllAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDigestsFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the weekly digest timers failed; the next sweep tries again")]
    private static partial void LogDigestsFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "TeamBot is ready; {Count} SLA and stand-up timers are running")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the SLA timers failed; the next sweep tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
