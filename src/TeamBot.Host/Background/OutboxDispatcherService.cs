using TeamBot.Core.Handoffs;
using TeamBot.Data;

namespace TeamBot.Host.Background;

/// <summary>
/// Runs the outbox dispatcher: at once when new work is committed, when a paced slot or a retry comes due, and every second
/// for work other processes (the CSV import) committed. Posted handoffs' SLA timers are set at a quiet moment: when no new
/// work has come for <see cref="SlaTimersQuiet"/>, or when they have waited a second, so that setting them (a write to the
/// scheduler's tables) seldom keeps a new lead waiting.
/// </summary>
internal sealed partial class OutboxDispatcherService(
    IServiceScopeFactory scopes, OutboxSignal signal, PendingSlaTimers slaTimers, TimeProvider clock, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlaTimersQuiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan KeepDelivered = TimeSpan.FromDays(7);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var signalled = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Poll;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(signalled, slaTimersWhenIdle: false, stoppingToken);
                signalled = false;
                if (pass.MoreDue) continue;
                if (pass.WakeAt is { } at) wait = Clamp(at - clock.GetUtcNow());
                // A paced slot due sooner comes first; the timers are set at a later quiet moment, or after a second by a pass.
                if (slaTimers.Any && wait >= SlaTimersQuiet)
                {
                    signalled = await signal.WaitAsync(SlaTimersQuiet, clock, stoppingToken);
                    if (signalled) continue;
                    await slaTimers.SetAsync(stoppingToken);
                    wait -= SlaTimersQuiet;
                }
                await PurgeAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                wait = TimeSpan.FromSeconds(2);
            }

            try
            {
                signalled = await signal.WaitAsync(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task PurgeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _lastPurge < TimeSpan.FromHours(1)) return;
        _lastPurge = now;
        await DataServices.PurgeDeliveredOutboxAsync(services.GetRequiredService<TeamBotDbContext>(), now - KeepDelivered, cancellationToken);
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait > Poll ? Poll : wait;

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher failed; retrying in 2 seconds")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
