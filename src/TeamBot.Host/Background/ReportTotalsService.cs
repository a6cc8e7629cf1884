using System.Diagnostics;
using TeamBot.Core.Reports;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Background;

/// <summary>
/// Keeps the per-day report totals up to date: every <c>Reports:TotalsRefreshEvery</c>, rebuilds the days that leads, ratings,
/// reasons or outcomes were written to since, once they are quiet. Reports are exact without it (they count the leads of days not yet
/// rebuilt); it keeps them fast. After an upgrade on a large store, the first passes build every day's totals.
/// </summary>
internal sealed partial class ReportTotalsService(
    IServiceScopeFactory scopes, Readiness readiness, ReportOptions options, ILogger<ReportTotalsService> logger) : BackgroundService
{
    /// <summary>A day still being written to waits this many passes at most before it is rebuilt anyway.</summary>
    internal const int MostPassesWaited = 20;

    /// <summary>The change count each marked day had at the last pass, and how many passes it has waited.</summary>
    private Dictionary<(string Workspace, int Day), (long Changes, int Passes)> _seen = [];

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
                var days = await PassAsync(scope.ServiceProvider.GetRequiredService<IReportRollups>(), stoppingToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (days > 0) LogRefreshed(logger, days, (long)elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// Rebuilds the marked days that had no change since the last pass. A day still being written to (today, during
    /// an import or a flood of webhooks) would be rebuilt from all its leads every pass for nothing: it waits until it
    /// is quiet, or <see cref="MostPassesWaited"/> passes. Reports count its leads meanwhile, so they stay exact.
    /// </summary>
    internal async Task<int> PassAsync(IReportRollups rollups, CancellationToken cancellationToken)
    {
        var marked = await rollups.ListMarkedAsync(cancellationToken);
        var rebuilt = 0;
        var still = new Dictionary<(string Workspace, int Day), (long Changes, int Passes)>();
        foreach (var day in marked)
        {
            var key = (day.WorkspaceId, day.Day);
            var quiet = _seen.TryGetValue(key, out var seen) && seen.Changes == day.Changes;
            var passes = seen.Passes + 1;
            if ((quiet || passes > MostPassesWaited) && await rollups.RebuildAsync(day, cancellationToken)) rebuilt++;
            else still[key] = (day.Changes, quiet ? seen.Passes : passes);
        }
        _seen = still;
        return rebuilt;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report totals rebuilt for {Days} days in {Milliseconds} ms")]
    private static partial void LogRefreshed(ILogger logger, int days, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding report totals failed; reports stay exact and the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
