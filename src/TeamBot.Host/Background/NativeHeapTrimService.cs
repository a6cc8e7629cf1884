using System.Diagnostics;

namespace TeamBot.Host.Background;

/// <summary>
/// Every minute, gives the memory native code has freed back to the system (see <see cref="NativeHeap"/>). Without it a
/// host taking leads steadily kept what each burst of native work had freed: 20 s after the first recovery sweep of the
/// <c>soak</c> benchmark (30,000 open leads), one trim took resident memory from 199 to 178 MB. With it, the soak runs
/// about 20 MB lower throughout (minute 2's median 165 against 184–185 MB, the last minute's 183 against 205–209). A trim
/// takes about 0.1 ms on an idle host. At idle it changes nothing measurable (the <c>idle</c> scenario: 144 MB either way).
/// </summary>
internal sealed partial class NativeHeapTrimService(ILogger<NativeHeapTrimService> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (NativeHeap.CanTrim && await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = Stopwatch.GetTimestamp();
            var returned = NativeHeap.Trim();
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogTrimmed(logger, returned, milliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Native heap trimmed in {Milliseconds:0.0} ms (memory returned: {Returned})")]
    private static partial void LogTrimmed(ILogger logger, bool returned, double milliseconds);
}
