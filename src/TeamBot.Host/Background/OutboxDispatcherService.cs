using TeamBot.Core.Handoffs;
using TeamBot.Data;

namespace TeamBot.Host.Background;

/// <summary>Runs the outbox dispatcher: at once when new work is committed, when a paced slot or a retry comes due, and every second for work other processes (the CSV import) committed.</summary>
internal sealed partial class OutboxDispatcherService(
    IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider clock, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepDelivered = TimeSpan.FromDays(7);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Poll;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(stoppingToken);
                if (pass.MoreDue) continue;
                if (pass.WakeAt is { } at) wait = Clamp(at - clock.GetUtcNow());
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
                await signal.WaitAsync(wait, clock, stoppingToken);
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
