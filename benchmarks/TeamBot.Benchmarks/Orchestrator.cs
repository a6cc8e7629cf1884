using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace TeamBot.Benchmarks;

/// <summary>One row of the results table, and of the JSON file.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    string Measure,
    double Value,
    string Unit,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double? HostPeakRssMb,
    string? Limit,
    double? LimitValue,
    double? Ratio,
    string Target,
    bool? Met,
    LoadResult? Load = null);

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/TeamBot.Benchmarks -- &lt;scenario|all&gt; [--seconds N]</c>: starts a real
/// TeamBot host and a separate load generator per scenario, prints the table and writes it as JSON.
/// </summary>
internal static partial class Orchestrator
{
    private static readonly Dictionary<string, Func<Context, Task<IReadOnlyList<ScenarioResult>>>> Scenarios = new(StringComparer.Ordinal)
    {
        ["ingest-single"] = IngestSingleAsync,
        ["ingest-batch"] = IngestBatchAsync,
        ["handoff-latency"] = HandoffLatencyAsync,
        ["handoff-latency-discord"] = HandoffLatencyDiscordAsync,
        ["burst-pacing"] = BurstPacingAsync,
        ["reactions"] = ReactionsAsync,
        ["idle"] = IdleAsync,
        ["reports"] = context => ReportsScenario.RunAsync(context.Root, context.Work, context.Seconds),
        ["soak"] = SoakAsync,
        ["crash-loop"] = CrashLoopAsync,
        ["overload"] = OverloadAsync,
    };

    private static readonly JsonSerializerOptions Indented = new(LoadGenerator.Json) { WriteIndented = true };

    private sealed record Context(string Root, string Work, double Seconds, double Warmup, double SoakMinutes, double SoakRate);

    public static async Task<int> RunAsync(string[] args)
    {
        var names = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
        var seconds = Option(args, "--seconds", 10);
        var soakMinutes = Option(args, "--minutes", 10);
        var soakRate = Option(args, "--rate", 100);
        if (names.Count != 1 || (names[0] != "all" && !Scenarios.ContainsKey(names[0])))
        {
            Console.Error.WriteLine($"usage: dotnet run -c Release --project benchmarks/TeamBot.Benchmarks -- <{string.Join('|', Scenarios.Keys)}|all> [--seconds N] [--minutes N] [--rate N] (soak)");
            return 2;
        }
        var root = RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "teambot-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var context = new Context(root, work, seconds, Math.Min(3, seconds / 3), soakMinutes, soakRate);
        var results = new List<ScenarioResult>();
        try
        {
            foreach (var name in names[0] == "all" ? Scenarios.Keys.ToList() : [names[0]])
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]running {name}…[/]");
                results.AddRange(await Scenarios[name](context));
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        Print(results);
        var file = Write(root, names[0], results);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]written to {Path.GetRelativePath(root, file)}[/]");
        return 0;
    }

    // ---- scenarios ----

    /// <summary>Target 1: single-lead webhook requests from 32 senders, against the bare 202 endpoint and raw SQLite.</summary>
    private static async Task<IReadOnlyList<ScenarioResult>> IngestSingleAsync(Context context)
    {
        var (ingest, ceiling, rss) = await WithHostAsync(context, "single", async host => (
            await LoadAsync(context, host, "/api/v1/workspaces/local/leads", concurrency: 32, leadsPerRequest: 1),
            await LoadAsync(context, host, HostRole.CeilingPath, concurrency: 32, leadsPerRequest: 1)));
        var raw = RawSqlite.RowsPerSecond(Path.Combine(context.Work, "raw-single"));
        return
        [
            new("ingest-single", "accepted leads/s, 32 senders", ingest.LeadsPerSecond, "leads/s", ingest.P50, ingest.P95, ingest.P99, rss,
                "bare 202 endpoint", ceiling.RequestsPerSecond, ingest.RequestsPerSecond / ceiling.RequestsPerSecond,
                ">= 2,500 leads/s, p99 < 50 ms", ingest.LeadsPerSecond >= 2500 && ingest.P99 < 50, ingest),
            new("ingest-single", "same leads, raw SQLite", raw, "rows/s", null, null, null, null,
                "raw SQLite, 1,000-row transactions", raw, ingest.LeadsPerSecond / raw, "(reference)", null),
        ];
    }

    /// <summary>Target 2: batched webhook requests (100 leads each), against raw SQLite.</summary>
    private static async Task<IReadOnlyList<ScenarioResult>> IngestBatchAsync(Context context)
    {
        var (ingest, rss) = await WithHostAsync(context, "batch", async host =>
            await LoadAsync(context, host, "/api/v1/workspaces/local/leads", concurrency: 8, leadsPerRequest: 100));
        var raw = RawSqlite.RowsPerSecond(Path.Combine(context.Work, "raw-batch"));
        return
        [
            new("ingest-batch", "accepted leads/s, 100 per request, 8 senders", ingest.LeadsPerSecond, "leads/s", ingest.P50, ingest.P95, ingest.P99, rss,
                "raw SQLite, 1,000-row transactions", raw, ingest.LeadsPerSecond / raw, ">= 25,000 leads/s", ingest.LeadsPerSecond >= 25_000, ingest),
        ];
    }

    /// <summary>
    /// Target 3 on the local chat: leads sent at 50 per second, one per request; for each, the time from TeamBot receiving it
    /// to the handoff being posted, as TeamBot recorded both (<c>received_at</c>, <c>posted_at</c>). The local chat's own
    /// posting pace (20/s by default, a UI choice) is lifted so that it does not hide TeamBot's latency.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> HandoffLatencyAsync(Context context)
    {
        var directory = Path.Combine(context.Work, "latency");
        await using var host = await HostProcess.StartAsync(context.Root, directory, new Dictionary<string, string> { ["Local__PostsPerSecond"] = "1000" });
        var measuredFrom = MeasuredFrom(context);
        var load = await LoadAsync(context, host, "/api/v1/workspaces/local/leads", concurrency: 4, leadsPerRequest: 1, rate: 50);
        var latencies = await PostLatenciesAsync(Path.Combine(directory, "teambot.db"), TimeSpan.FromSeconds(30), measuredFrom);
        double P(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        return
        [
            new("handoff-latency", "webhook to handoff posted (local chat), 50 leads/s, after the warm-up", latencies.Length, "leads posted",
                P(0.50), P(0.95), P(0.99), host.PeakRssMegabytes,
                string.Create(CultureInfo.InvariantCulture, $"(the webhook itself answered in p50 {load.P50:0.0} ms, p99 {load.P99:0.0} ms)"), null, null,
                "p50 < 10 ms, p99 < 50 ms", latencies.Length > 0 && P(0.50) < 10 && P(0.99) < 50, load),
        ];
    }

    /// <summary>
    /// The first lead counted in a latency figure: one received after the load generator's warm-up, as for its own webhook
    /// figures (the first handoffs after start wait for the JIT and fill the pools: 300 ms for the very first one).
    /// </summary>
    private static long MeasuredFrom(Context context) => DateTimeOffset.UtcNow.AddSeconds(context.Warmup).ToUnixTimeMilliseconds();

    /// <summary>Waits until every received lead is posted (or the time is up), then reads posted - received in ms of those received from <paramref name="since"/> (unix ms).</summary>
    private static async Task<double[]> PostLatenciesAsync(string database, TimeSpan wait, long since = 0)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = database, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection(connection);
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT received_at, posted_at FROM leads";
            var rows = new List<(long Received, long? Posted)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
            }
            if (rows.All(r => r.Posted is not null) || DateTime.UtcNow > deadline)
            {
                return [.. rows.Where(r => r.Posted is not null && r.Received >= since).Select(r => (double)(r.Posted!.Value - r.Received)).Order()];
            }
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Targets 7 (idle memory) and 8 (start-up to ready), on an empty store: the development build (the harness's own,
    /// JIT-compiled) and TeamBot as published for deployment (ReadyToRun).
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> IdleAsync(Context context)
    {
        var published = await PublishedHost.PublishedAsync(context.Root, context.Work);
        return [.. await IdleAsync(context, HostLaunch.Harness, "development build"), .. await IdleAsync(context, published, "published (ReadyToRun)")];
    }

    private static async Task<IReadOnlyList<ScenarioResult>> IdleAsync(Context context, HostLaunch launch, string build)
    {
        var directory = Path.Combine(context.Work, "idle-" + Path.GetFileName(launch.Executable));
        await using var host = await HostProcess.StartAsync(context.Root, directory, launch: launch);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, context.Seconds)));
        var idle = host.RssMegabytes;
        return
        [
            new("idle", $"resident memory after start, idle, {build}", idle, "MB", null, null, null, host.PeakRssMegabytes, null, null, null, "< 120 MB", idle < 120),
            new("idle", $"start-up to ready (empty store), {build}", host.StartupToReady.TotalMilliseconds, "ms", null, null, null, null, null, null, null,
                "< 2 s (target is for a 1M-lead store)", host.StartupToReady < TimeSpan.FromSeconds(2)),
        ];
    }

    // ---- plumbing ----

    private static async Task<(T Result, double PeakRss)> WithHostAsync<T>(Context context, string name, Func<HostProcess, Task<T>> run)
    {
        await using var host = await HostProcess.StartAsync(context.Root, Path.Combine(context.Work, name));
        var result = await run(host);
        return (result, host.PeakRssMegabytes);
    }

    private static async Task<(T1, T2, double)> WithHostAsync<T1, T2>(Context context, string name, Func<HostProcess, Task<(T1, T2)>> run)
    {
        var ((first, second), rss) = await WithHostAsync<(T1, T2)>(context, name, run);
        return (first, second, rss);
    }

    /// <summary>Runs the load generator as its own process and reads its JSON answer.</summary>
    private static async Task<LoadResult> LoadAsync(Context context, HostProcess host, string path, int concurrency, int leadsPerRequest, double rate = 0,
        IReadOnlyList<string>? paths = null)
    {
        var plan = new LoadPlan(host.Url, path, HostProcess.ApiKey, concurrency, leadsPerRequest, context.Warmup, context.Seconds, rate,
            Guid.NewGuid().ToString("N")[..8])
        { Paths = paths };
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("load");
        start.ArgumentList.Add(Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(plan, LoadGenerator.Json)));
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The load generator failed ({process.ExitCode}).");
        return JsonSerializer.Deserialize<LoadResult>(output.Trim().Split('\n')[^1], LoadGenerator.Json)!;
    }

    private static void Print(IReadOnlyList<ScenarioResult> results)
    {
        // Piped into a file or CI log, the console has no width of its own: keep the table on one line per row.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 220;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Scenario", "Measure", "Result", "p50 ms", "p95 ms", "p99 ms", "Host peak RSS", "Limit (same run)", "Ratio", "Target", "Met");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Scenario), Markup.Escape(r.Measure), $"{Number(r.Value)} {Markup.Escape(r.Unit)}",
                Number(r.P50Ms, "0.0"), Number(r.P95Ms, "0.0"), Number(r.P99Ms, "0.0"),
                r.HostPeakRssMb is { } rss ? $"{rss:0} MB" : "",
                r.Limit is null ? "" : Markup.Escape(r.LimitValue is null ? r.Limit : $"{r.Limit}: {Number(r.LimitValue)}"),
                r.Ratio is { } ratio ? ratio.ToString(ratio < 0.1 ? "0.0000" : "0.00", CultureInfo.InvariantCulture) : "",
                Markup.Escape(r.Target),
                r.Met switch { true => "[green]yes[/]", false => "[red]no[/]", _ => "" });
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{Machine()}[/]");
    }

    private static string Write(string root, string name, IReadOnlyList<ScenarioResult> results)
    {
        var file = ResultFile(root, name, "json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { machine = Machine(), at = DateTimeOffset.UtcNow, results }, Indented));
        return file;
    }

    /// <summary>A scenario's samples over time, as CSV beside the results (for looking at when a tail or growth happens).</summary>
    private static void WriteTimeline(string root, string name, string header, IEnumerable<string> rows) =>
        File.WriteAllLines(ResultFile(root, name, "csv"), rows.Prepend(header));

    /// <summary>A new file in <c>benchmarks/results/</c>, named by the time and <paramref name="name"/>.</summary>
    private static string ResultFile(string root, string name, string extension)
    {
        var directory = Path.Combine(root, "benchmarks", "results");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}.{extension}");
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string Number(double? value, string format = "#,0") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && double.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TeamBot.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("Run the harness from inside the TeamBot repository.");
    }
}
