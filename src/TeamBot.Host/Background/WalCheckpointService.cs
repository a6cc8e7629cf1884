namespace TeamBot.Host.Background;

/// <summary>
/// Checkpoints TeamBot's SQLite WAL beside the writers instead of inside their commits (see <see cref="WalCheckpoints"/>): woken
/// by the commit that takes the WAL past 1,000 pages, it copies the WAL until it has caught up. When it stops, commits
/// checkpoint as SQLite's own would again.
/// </summary>
internal sealed partial class WalCheckpointService(WalCheckpoints checkpoints, ILogger<WalCheckpointService> logger) : BackgroundService
{
    private bool _failing;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        checkpoints.Start();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        checkpoints.Stop();
        await base.StopAsync(cancellationToken);
    }

    /// <remarks>A pass runs on a thread-pool thread and holds it for the copy and the flushes (a few milliseconds).</remarks>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Microsoft.Data.Sqlite.SqliteConnection? connection = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await checkpoints.WaitAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                try
                {
                    connection ??= checkpoints.Open();
                    WalCheckpoints.CatchUp(connection);
                    if (_failing) LogRecovered(logger);
                    _failing = false;
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
                {
                    // A full disk or a locked file: commits stay in the WAL, and the next wake-up tries again (past
                    // WalCheckpoints.InCommitPages the commits checkpoint themselves, as SQLite's own would).
                    if (!_failing) LogFailed(logger, ex);
                    _failing = true;
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the SQLite WAL failed; commits are safe in the WAL, and it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpointing the SQLite WAL works again")]
    private static partial void LogRecovered(ILogger logger);
}
