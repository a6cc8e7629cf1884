using TeamBot.Data.Sqlite;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Background;

/// <summary>
/// Checkpoints TeamBot's SQLite WAL every <c>Storage:CheckpointEvery</c>, so that no commit of the webhook's writer, the
/// reactions' writer, the dispatcher or the timers has to (SQLite otherwise runs it inside the commit that takes the WAL past
/// 1,000 pages). Each pass copies what no reader still needs without waiting for anyone; when the WAL file has grown large and
/// nothing was written since the last pass, it also empties the file. Checkpoints are safe with other processes on the same
/// file (<c>teambot import</c>, <c>teambot backup</c>): SQLite serialises them, and those processes checkpoint as usual.
/// </summary>
internal sealed partial class WalCheckpointService(WalCheckpoints checkpoints, StorageOptions options, ILogger<WalCheckpointService> logger)
    : BackgroundService
{
    /// <summary>A WAL file larger than this is emptied at the next quiet pass (four times what SQLite's own checkpoints keep, at 4 KB pages).</summary>
    internal const long TruncateAboveBytes = 16L * 1024 * 1024;

    /// <summary>
    /// A WAL longer than this many pages is started again from the top, even while commits go on (four times SQLite's own
    /// bound): a passive checkpoint beside a busy writer never lets it start again, so it would grow as long as the writes last.
    /// </summary>
    internal const int RestartAbovePages = 4 * WalCheckpoints.SqliteAutoCheckpointPages;

    private int _lastWalPages = -1;
    private bool _failing;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        checkpoints.TakeOver();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Connections opened from now on (whatever still writes while the host stops) checkpoint themselves again.
        checkpoints.HandBack();
        Pass(quietOnly: false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CheckpointEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken)) Pass(quietOnly: true);
    }

    /// <summary>One checkpoint; the WAL file is emptied too when it is large and (with <paramref name="quietOnly"/>) nothing was written since the last pass.</summary>
    internal WalCheckpoint? Pass(bool quietOnly)
    {
        try
        {
            var result = checkpoints.Checkpoint();
            var quiet = result.WalPages == _lastWalPages && result.CheckpointedPages == result.WalPages;
            _lastWalPages = result.WalPages;
            if ((quiet || !quietOnly) && checkpoints.WalFileBytes() > TruncateAboveBytes)
            {
                result = checkpoints.Checkpoint(truncate: true);
                if (!result.Busy) _lastWalPages = 0;
            }
            else if (result.WalPages > RestartAbovePages)
            {
                result = checkpoints.Checkpoint(restart: true);
                if (!result.Busy) _lastWalPages = 0;
            }
            if (_failing) LogRecovered(logger);
            _failing = false;
            return result;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // A full disk or a locked file: commits keep going into the WAL, and the next pass tries again.
            if (!_failing) LogFailed(logger, ex);
            _failing = true;
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the SQLite WAL failed; commits are safe in the WAL, and the checkpoint is tried again every pass")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpointing the SQLite WAL works again")]
    private static partial void LogRecovered(ILogger logger);
}
