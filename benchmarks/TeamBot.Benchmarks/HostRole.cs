using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Host.Composition;
using TeamBot.Testing;

namespace TeamBot.Benchmarks;

/// <summary>
/// The real TeamBot web host, as <c>teambot</c> runs it, plus one bare endpoint that answers 202 without doing anything:
/// the HTTP ceiling of this process on this machine, measured in the same run as the scenarios.
/// </summary>
internal static class HostRole
{
    public const string CeilingPath = "/bench/ceiling";

    /// <summary>"factor;epoch in Unix ms": the host runs on a clock that many times faster than real time since that epoch.</summary>
    public const string ClockVariable = "TEAMBOT_BENCH_CLOCK";

    /// <summary>A file to which the host appends the GC's figures every second (CSV), when set.</summary>
    public const string GcLogVariable = "TEAMBOT_BENCH_GCLOG";

    public static async Task<int> RunAsync(string[] args)
    {
        if (Environment.GetEnvironmentVariable(GcLogVariable) is { Length: > 0 } gcLog) _ = Task.Run(() => LogGcAsync(gcLog));
        var app = TeamBotHost.BuildServer(args, builder =>
        {
            if (Environment.GetEnvironmentVariable(ClockVariable) is { } clock) builder.Services.AddSingleton<TimeProvider>(ScaledClock(clock));
        });
        app.MapPost(CeilingPath, () => Results.StatusCode(StatusCodes.Status202Accepted));
        await TeamBotHost.InitializeAsync(app.Services, CancellationToken.None);
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// Every second: collections per generation, the heap's size and each generation's after the last GC, fragmentation,
    /// what the GC has committed, the process's resident memory (and its anonymous, file-backed and shared parts), its
    /// threads, and what SQLite has allocated (every connection's page cache among it): to tell garbage the GC keeps from
    /// memory held elsewhere.
    /// </summary>
    private static async Task LogGcAsync(string file)
    {
        await File.WriteAllTextAsync(file, "seconds,gen0,gen1,gen2,heap_mb,gen0_mb,gen1_mb,gen2_mb,loh_mb,poh_mb,fragmented_mb,committed_mb,promoted_mb,rss_mb,methods_jitted,jit_ms,sqlite_mb,threads,rss_anon_mb,rss_file_mb,rss_shmem_mb\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync())
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            static double Mb(long bytes) => bytes / 1048576.0;
            var generations = info.GenerationInfo;
            var status = ProcStatus.Read("/proc/self/status");
            await File.AppendAllTextAsync(file, string.Create(CultureInfo.InvariantCulture,
                $"{clock.Elapsed.TotalSeconds:0},{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)},{Mb(info.HeapSizeBytes):0.0}," +
                $"{Mb(generations[0].SizeAfterBytes):0.0},{Mb(generations[1].SizeAfterBytes):0.0},{Mb(generations[2].SizeAfterBytes):0.0}," +
                $"{Mb(generations[3].SizeAfterBytes):0.0},{Mb(generations[4].SizeAfterBytes):0.0},{Mb(info.FragmentedBytes):0.0}," +
                $"{Mb(info.TotalCommittedBytes):0.0},{Mb(info.PromotedBytes):0.0},{Mb(Environment.WorkingSet):0.0},{System.Runtime.JitInfo.GetCompiledMethodCount()},{System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0},{Mb(SQLitePCL.raw.sqlite3_memory_used()):0.0}," +
                $"{status["Threads"]},{status["RssAnon"] / 1024:0.0},{status["RssFile"] / 1024:0.0},{status["RssShmem"] / 1024:0.0}\n"));
        }
    }

    /// <summary>The clock a scenario shares with its fake platform, from <see cref="ClockVariable"/>.</summary>
    public static string ClockSetting(double factor, DateTimeOffset epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{factor};{epoch.ToUnixTimeMilliseconds()}");

    private static ScaledTimeProvider ScaledClock(string setting)
    {
        var parts = setting.Split(';');
        return new ScaledTimeProvider(double.Parse(parts[0], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }
}
