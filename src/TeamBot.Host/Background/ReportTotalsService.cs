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

    /// <summary>
    /// A day written to without pause changes while it is counted, so a rebuild tried anyway fails; each failure doubles
    /// the wait before the next try, up to this many passes (40 minutes at the default 15 seconds).
    /// </summary>
    internal const int MostPassesWaitedAfterFailures = 8 * MostPassesWaited;

    /// <summary>
    /// The change count each marked day had at the last pass, how many passes it has waited, and how many it waits at most
    /// before a rebuild is tried anyway.
    /// </summary>
    private Dictionary<(string Workspace, int Day), Waiting> _seen = [];

    private readonly record struct Waiting(long Changes, int Passes, int Limit);

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
    /// How long a day that kept changing must stay unchanged right before it is rebuilt anyway: a day that changes within
    /// this would change again while its leads are counted, so it is not read at all.
    /// </summary>
    internal TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Rebuilds the marked days that had no change since the last pass. A day still being written to (today, during
    /// an import or a flood of webhooks) would be rebuilt from all its leads every pass for nothing: it waits until it
    /// is quiet, or <see cref="MostPassesWaited"/> passes, and then is rebuilt if it does not change for
    /// <see cref="SettleTime"/>. A day written to without pause (a steady stream of webhooks) changes while it is
    /// counted, so that try fails or is not made; the next one waits twice as long, up to
    /// <see cref="MostPassesWaitedAfterFailures"/> passes. Reading a busy day's leads over and over would hold them all in
    /// memory again and again. Reports count a marked day's leads meanwhile, so they stay exact.
    /// </summary>
    internal async Task<int> PassAsync(IReportRollups rollups, CancellationToken cancellationToken)
    {
        var marked = await rollups.ListMarkedAsync(cancellationToken);
        var rebuilt = 0;
        var still = new Dictionary<(string Workspace, int Day), Waiting>();
        foreach (var day in marked)
        {
            var key = (day.WorkspaceId, day.Day);
            var known = _seen.TryGetValue(key, out var seen);
            var limit = known ? seen.Limit : MostPassesWaited;
            var quiet = known && seen.Changes == day.Changes;
            var passes = quiet ? seen.Passes : seen.Passes + 1;
            if (!quiet && passes <= limit)
            {
                still[key] = new(day.Changes, passes, limit);
                continue;
            }
            var tried = quiet || await SettledAsync(rollups, day, cancellationToken);
            if (tried && await rollups.RebuildAsync(day, cancellationToken)) rebuilt++;
            else if (quiet) still[key] = new(day.Changes, passes, limit);
            else still[key] = new(day.Changes, 0, Math.Min(limit * 2, MostPassesWaitedAfterFailures));
        }
        _seen = still;
        return rebuilt;
    }

    /// <summary>Whether the day is unchanged after <see cref="SettleTime"/>.</summary>
    private async Task<bool> SettledAsync(IReportRollups rollups, MarkedDay day, CancellationToken cancellationToken)
    {
        await Task.Delay(SettleTime, cancellationToken);
        return (await rollups.ListMarkedAsync(cancellationToken)).Contains(day);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report totals rebuilt for {Days} days in {Milliseconds} ms")]
    private static partial void LogRefreshed(ILogger logger, int days, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding report totals failed; reports stay exact and the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
