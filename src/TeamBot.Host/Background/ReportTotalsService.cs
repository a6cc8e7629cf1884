using System.Diagnostics;
using TeamBot.Core.Reports;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Background;

/// <summary>
/// Keeps the per-day report totals up to date: every <c>Reports:TotalsRefreshEvery</c>, rebuilds the days that leads, ratings,
/// reasons or outcomes were written to since. Reports are exact without it (they count the leads of days not yet
/// rebuilt); it keeps them fast. After an upgrade on a large store, the first passes build every day's totals.
/// </summary>
internal sealed partial class ReportTotalsService(
    IServiceScopeFactory scopes, Readiness readiness, ReportOptions options, ILogger<ReportTotalsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TotalsRefreshEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Start-up comes first: the timers' recovery sweep decides when the bot is ready.
            if (!readiness.Ready) continue;
            try
            {
                var started = Stopwatch.GetTimestamp();
                await using var scope = scopes.CreateAsyncScope();
                var days = await scope.ServiceProvider.GetRequiredService<IReportRollups>().RefreshAsync(stoppingToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (days > 0) LogRefreshed(logger, days, (long)elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report totals rebuilt for {Days} days in {Milliseconds} ms")]
    private static partial void LogRefreshed(ILogger logger, int days, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding report totals failed; reports stay exact and the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
