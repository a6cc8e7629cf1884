using TeamBot.Core.Handoffs;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Background;

/// <summary>Once the bot has started: re-arms the SLA timers of open leads, then reports ready.</summary>
internal sealed partial class RecoveryService(
    IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, Readiness readiness, ILogger<RecoveryService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = RecoverAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RecoverAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var count = await scope.ServiceProvider.GetRequiredService<SlaService>().RecoverAsync(lifetime.ApplicationStopping);
            LogRecovered(logger, count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
        readiness.Ready = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TeamBot is ready; {Count} SLA timers are running")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-arming SLA timers failed; they fire again at the next restart")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
