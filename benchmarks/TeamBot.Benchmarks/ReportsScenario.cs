using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamBot.Core.Digests;
using TeamBot.Core.Goals;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;
using TeamBot.Host.Composition;

namespace TeamBot.Benchmarks;

/// <summary>
/// Targets 6 and 8 on a generated store of a million leads (<see cref="DataGenerator"/>, cached per size and day):
/// start-up to ready and idle memory of the real host on it; then, in this process through TeamBot's own services on
/// the same file (the container <c>teambot</c> builds, not started), the lead-quality report (90 days, by source), a
/// full weekly digest (built and rendered, not posted) and the goals report, each repeated for p50/p95/p99 and each
/// against hand-written SQL that computes the same numbers, whose results are compared with the app's.
/// </summary>
internal static class ReportsScenario
{
    public const int Leads = 1_000_000;

    private const string Name = "reports";

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(string root, string work, double seconds)
    {
        // A smaller store while developing: TEAMBOT_BENCH_LEADS=100000.
        var leads = Environment.GetEnvironmentVariable("TEAMBOT_BENCH_LEADS") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : Leads;
        var store = await DataGenerator.CachedAsync(root, Path.Combine(Path.GetTempPath(), "teambot-bench-stores"), leads);
        Console.Error.WriteLine(DataGenerator.Describe(store));
        var size = leads >= 1_000_000 ? $"{leads / 1_000_000}M" : $"{leads / 1000}k";

        // While working on one of them: TEAMBOT_BENCH_ONLY=startup, quality, digest or goals.
        var only = Environment.GetEnvironmentVariable("TEAMBOT_BENCH_ONLY") is { Length: > 0 } part ? part : null;
        bool Runs(string part) => only is null || only == part;
        var results = new List<ScenarioResult>();

        // The per-day report totals: built once for a new store (the running host builds them in the background
        // after an upgrade), then kept up to date as leads and feedback are written. Reports measure the steady state.
        using var app = Services(root, store.Directory);
        await InScopeAsync(app, async s =>
        {
            await TeamBot.Data.DataServices.MigrateAsync(s.GetRequiredService<TeamBot.Data.TeamBotDbContext>(), CancellationToken.None);
            return true;
        });
        var building = Stopwatch.StartNew();
        var days = await InScopeAsync(app, s => s.GetRequiredService<IReportRollups>().RefreshAsync(CancellationToken.None));
        building.Stop();
        Console.Error.WriteLine($"report totals: {days} days built in {building.Elapsed.TotalSeconds:0.0} s");
        if (days > 0)
        {
            results.Add(new(Name, $"building the report totals of every day once ({days} days; after generating or upgrading the store, in the background)",
                building.Elapsed.TotalSeconds, "s", null, null, null, null, null, null, null, "(one-time)", null));
        }

        if (Runs("startup")) results.AddRange(await StartupAsync(root, work, store, size, seconds));

        using var bare = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.Database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        bare.Open();
        var now = DateTimeOffset.UtcNow;
        var workspace = await InScopeAsync(app, s => s.GetRequiredService<IWorkspaceStore>().FindAsync(DataGenerator.Workspace, CancellationToken.None))
                        ?? throw new InvalidOperationException("The generated store has no local workspace.");
        var runs = Math.Max(3, (int)seconds);

        if (Runs("quality")) results.Add(await QualityAsync(app, bare, workspace, now, runs));
        if (Runs("digest")) results.Add(await DigestAsync(app, bare, workspace, now, runs));
        if (Runs("goals")) results.Add(await GoalsAsync(app, bare, workspace, now, runs));
        return results;
    }

    /// <summary>Lead quality, 90 days by source: what <c>/leads quality period:90d</c> answers with.</summary>
    private static async Task<ScenarioResult> QualityAsync(IHost app, SqliteConnection bare, Workspace workspace, DateTimeOffset now, int runs)
    {
        ReportPeriod.TryParse("90d", now, workspace.TimeZone, out var period, out _);
        LeadQualityReport? report = null;
        var quality = await TimeAsync(runs, () => InScopeAsync(app, async s =>
        {
            report = await s.GetRequiredService<LeadQualityReports>().BuildAsync(workspace.Id, period, ReportGrouping.Source, CancellationToken.None);
            return LeadQualityCard.Render(report);
        }));
        IReadOnlyList<BareSql.Group> bareQuality = [];
        var qualitySql = await TimeAsync(runs, () => Task.FromResult(bareQuality = BareSql.Quality(bare, "l.source", period.PreviousFrom, period.From, period.To)));
        var qualityCheck = Compare(report!.Groups.Select(g => (g.Key, g.Current)).Append(("all", report.Total.Current)), bareQuality, current: true);
        return Row("lead-quality summary, 90 days by source (/leads quality)", quality, qualitySql, "p50 < 50 ms", 50, qualityCheck);
    }

    /// <summary>The weekly digest of the last full week, built and rendered as it would be posted (not posted).</summary>
    private static async Task<ScenarioResult> DigestAsync(IHost app, SqliteConnection bare, Workspace workspace, DateTimeOffset now, int runs)
    {
        var week = DigestWeek.LastFull(now, workspace.TimeZone);
        WeeklyDigest? digest = null;
        var digests = await TimeAsync(runs, () => InScopeAsync(app, async s =>
        {
            digest = await s.GetRequiredService<DigestBuilder>().BuildAsync(workspace, week, CancellationToken.None);
            return DigestText.Render(digest, null);
        }));
        var digestSql = await TimeAsync(runs, () => Task.FromResult(
            BareSql.Quality(bare, "l.source", week.PreviousFrom, week.From, week.To).Count
            + BareSql.Quality(bare, "l.campaign", week.PreviousFrom, week.From, week.To).Count
            + BareSql.Goals(bare, workspace, week.To).Count));
        var digestCheck = Compare(digest!.BySource.Select(g => (g.Key, g.Week)), BareSql.Quality(bare, "l.source", week.PreviousFrom, week.From, week.To), current: true);
        return Row("full weekly digest, last full week (built and rendered)", digests, digestSql, "< 1 s", 1000, digestCheck);
    }

    /// <summary>The goals report: <c>/goal list</c>.</summary>
    private static async Task<ScenarioResult> GoalsAsync(IHost app, SqliteConnection bare, Workspace workspace, DateTimeOffset now, int runs)
    {
        IReadOnlyList<GoalProgress> progress = [];
        var goals = await TimeAsync(runs, () => InScopeAsync(app, async s =>
        {
            var list = await s.GetRequiredService<IGoalStore>().ListAsync(workspace.Id, GoalStatusFilter.Active, CancellationToken.None);
            progress = await s.GetRequiredService<GoalService>().ProgressAsync(workspace.Id, list, now, CancellationToken.None);
            return GoalReports.ListCard(progress, GoalStatusFilter.Active, 25);
        }));
        IReadOnlyList<BareSql.GoalValue> bareGoals = [];
        var goalsSql = await TimeAsync(runs, () => Task.FromResult(bareGoals = BareSql.Goals(bare, workspace, now)));
        var goalsCheck = CompareGoals(progress, bareGoals);
        return Row("goals report (/goal list, every active goal)", goals, goalsSql, "p50 < 50 ms", 50, goalsCheck);
    }

    /// <summary>
    /// Start-up to ready, three times each (the first start on a new store does its one-time work), and idle memory: the
    /// development build (the harness's own, JIT-compiled) and TeamBot as published for deployment (ReadyToRun).
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioResult>> StartupAsync(string root, string work, GeneratedStore store, string size, double seconds) =>
    [
        .. await StartsAsync(root, store, size, seconds, HostLaunch.Harness, "development build"),
        .. await StartsAsync(root, store, size, seconds, await PublishedHost.PublishedAsync(root, work), "published (ReadyToRun), as deployed"),
    ];

    private static async Task<IReadOnlyList<ScenarioResult>> StartsAsync(
        string root, GeneratedStore store, string size, double seconds, HostLaunch launch, string build)
    {
        var startups = new List<double>();
        double idle = 0, peak = 0;
        for (var i = 0; i < 3; i++)
        {
            await using var host = await HostProcess.StartAsync(root, store.Directory, launch: launch);
            startups.Add(host.StartupToReady.TotalMilliseconds);
            if (i < 2) continue;
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, seconds)));
            (idle, peak) = (host.RssMegabytes, host.PeakRssMegabytes);
        }
        var median = startups.Order().ElementAt(1);
        return
        [
            new(Name, $"start-up to ready, {size}-lead store, {build} (median of 3: {string.Join(", ", startups.Select(s => s.ToString("#,0", CultureInfo.InvariantCulture)))} ms)",
                median, "ms", null, null, null, peak, null, null, null, "< 2 s", median < 2000),
            new(Name, $"resident memory after start, idle, {size}-lead store, {build}", idle, "MB", null, null, null, peak, null, null, null, "< 120 MB", idle < 120),
        ];
    }

    private static ScenarioResult Row(string measure, Timings app, Timings sql, string target, double limitMs, string check) =>
        new(Name, $"{measure}; in-process through TeamBot's services; numbers {check}", app.P50, "ms (p50)", app.P50, app.P95, app.P99, null,
            "the same numbers in hand-written SQL, p50 ms", sql.P50, app.P50 / sql.P50,
            target + ", within 1.5x of the SQL", app.P50 < limitMs && app.P50 <= 1.5 * sql.P50);

    internal sealed record Timings(double P50, double P95, double P99);

    /// <summary>Runs once to warm up, then <paramref name="runs"/> times, in milliseconds.</summary>
    private static async Task<Timings> TimeAsync<T>(int runs, Func<Task<T>> run)
    {
        await run();
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        double P(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
        return new Timings(P(0.50), P(0.95), P(0.99));
    }

    /// <summary>TeamBot's own container on the store, as <c>teambot</c> builds it; nothing is started.</summary>
    private static IHost Services(string root, string dataDirectory) =>
        TeamBotHost.CreateToolBuilder(["--contentRoot", root, "--Storage:DataDirectory", dataDirectory, "--Logging:LogLevel:Default", "Warning"]).Build();

    private static async Task<T> InScopeAsync<T>(IHost app, Func<IServiceProvider, Task<T>> run)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await run(scope.ServiceProvider);
    }

    /// <summary>"match" when every group's figures agree with the SQL's, otherwise the first difference.</summary>
    private static string Compare(IEnumerable<(string Key, QualityFigures Figures)> app, IReadOnlyList<BareSql.Group> sql, bool current)
    {
        var byKey = sql.Where(g => g.Current == current).ToDictionary(g => g.Key, StringComparer.OrdinalIgnoreCase);
        var all = sql.Where(g => g.Current == current).ToList();
        byKey["all"] = BareSql.Total(all);
        var matched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, f) in app)
        {
            if (!byKey.TryGetValue(key, out var g))
            {
                if (f.Leads == 0) continue; // a group with leads only in the period before
                return $"DIFFER: no SQL group {key}";
            }
            matched.Add(key);
            var same = f.Leads == g.Leads && f.Claimed == g.Claimed && f.Rated == g.Rated && f.Rejected == g.Rejected && f.Meetings == g.Meetings
                       && f.Opportunities == g.Opportunities && f.Won == g.Won && f.WonAmount == g.WonAmount
                       && f.AverageRating == g.AverageRating && f.SpeedToClaim.MedianSeconds == g.MedianSeconds && f.SpeedToClaim.P95Seconds == g.P95Seconds
                       && f.TopReasons.Select(r => (r.Code, r.Count)).SequenceEqual(g.TopReasons);
            if (!same) return $"DIFFER in {key}: app {Describe(f)} / SQL {g}";
        }
        var missing = all.Select(g => g.Key).FirstOrDefault(k => !matched.Contains(k));
        return missing is null ? $"match the SQL's ({matched.Count} groups)" : $"DIFFER: the app has no group {missing}";
    }

    private static string Describe(QualityFigures f) => string.Create(CultureInfo.InvariantCulture,
        $"{f.Leads} {f.Claimed} {f.Rated} {f.Rejected} {f.Meetings} {f.Opportunities} {f.Won} {f.WonAmount} {f.AverageRating} {f.SpeedToClaim.MedianSeconds} {f.SpeedToClaim.P95Seconds} [{string.Join(' ', f.TopReasons.Select(r => $"{r.Code}:{r.Count}"))}]");

    private static string CompareGoals(IReadOnlyList<GoalProgress> app, IReadOnlyList<BareSql.GoalValue> sql)
    {
        if (app.Count != sql.Count) return $"DIFFER: {app.Count} goals in the app, {sql.Count} in SQL";
        foreach (var (p, g) in app.Zip(sql))
        {
            if (p.Goal.Id != g.GoalId || p.Actual != g.Value) return $"DIFFER for goal {p.Goal.Id}: app {p.Actual}, SQL {g.Value}";
        }
        return "match the SQL's";
    }
}
