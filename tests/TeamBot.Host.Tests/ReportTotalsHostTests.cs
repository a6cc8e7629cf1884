using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Data;

namespace TeamBot.Host.Tests;

/// <summary>The running bot rebuilds the report totals of days that changed, and its reports are exact before and after.</summary>
public sealed class ReportTotalsHostTests
{
    [Fact]
    public async Task ChangedDays_AreRebuiltInTheBackground_AndTheReportCountsTheSameBeforeAndAfter()
    {
        await using var host = await TestHost.StartAsync(s => s["Reports:TotalsRefreshEvery"] = "00:00:01");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Three whole local days around today: they cover today's whole UTC day, which is read from its totals once built.
        var period = string.Create(CultureInfo.InvariantCulture, $"period={today.AddDays(-1):yyyy-MM-dd}..{today.AddDays(1):yyyy-MM-dd}&by=source");

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await host.PostLeadsAsync("""
            {"leads":[{"email":"a@acme.com","source":"webinar"},{"email":"b@acme.com","source":"webinar"},{"email":"c@acme.com","source":"event"}]}
            """)).StatusCode);
        await Eventually.TrueAsync(async () => await LeadsAsync(host, period) == 3, "the report counts 3 leads");
        await Eventually.TrueAsync(async () => await MarkedDaysAsync(host) == 0 && await TotalsRowsAsync(host) > 0, "the day's totals are rebuilt");
        Assert.Equal(3, await LeadsAsync(host, period));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"d@acme.com","source":"event"}""")).StatusCode);
        await Eventually.TrueAsync(async () => await LeadsAsync(host, period) == 4, "the report counts the new lead at once");
        await Eventually.TrueAsync(async () => await MarkedDaysAsync(host) == 0, "the day's totals are rebuilt again");
        var report = await host.GetReportAsync(period);
        Assert.Equal(4, report.GetProperty("total").GetProperty("leads").GetInt32());
        Assert.Equal(2, report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "event").GetProperty("leads").GetInt32());
    }

    private static async Task<int> LeadsAsync(TestHost host, string query) =>
        (await host.GetReportAsync(query)).GetProperty("total").GetProperty("leads").GetInt32();

    private static Task<int> MarkedDaysAsync(TestHost host) => CountAsync(host, db => db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM report_dirty_days"));

    private static Task<int> TotalsRowsAsync(TestHost host) => CountAsync(host, db => db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM report_days"));

    private static async Task<int> CountAsync(TestHost host, Func<TeamBotDbContext, IQueryable<int>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TeamBotDbContext>()).SingleAsync();
    }
}

/// <summary>The background pass waits for a marked day to be quiet before rebuilding it, but not forever.</summary>
public sealed class ReportTotalsPassTests
{
    [Fact]
    public async Task ADayStillBeingWrittenTo_WaitsUntilQuiet_OrAtMostTwentyPasses()
    {
        var service = new TeamBot.Host.Background.ReportTotalsService(
            null!, new TeamBot.Host.Composition.Readiness(), new TeamBot.Host.Composition.ReportOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TeamBot.Host.Background.ReportTotalsService>.Instance)
        { SettleTime = TimeSpan.Zero };
        var rollups = new CountingRollups();

        // A quiet day: seen once, rebuilt on the next pass.
        rollups.Marked["quiet"] = 5;
        Assert.Equal(0, await service.PassAsync(rollups, CancellationToken.None));
        Assert.Equal(1, await service.PassAsync(rollups, CancellationToken.None));
        Assert.Equal(["quiet"], rollups.Rebuilt);

        // A day that changes before every pass: rebuilt on the 21st pass, not before.
        var passes = 0;
        while (rollups.Rebuilt.Count == 1)
        {
            rollups.Marked["busy"] = ++passes * 100;
            await service.PassAsync(rollups, CancellationToken.None);
        }
        Assert.Equal(TeamBot.Host.Background.ReportTotalsService.MostPassesWaited + 1, passes);
        Assert.Equal(["quiet", "busy"], rollups.Rebuilt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADayWrittenToWithoutPause_IsTriedAgainAfterTwiceTheWait_NotOnEveryPass(bool changesWithinTheSettleTime)
    {
        var service = new TeamBot.Host.Background.ReportTotalsService(
            null!, new TeamBot.Host.Composition.Readiness(), new TeamBot.Host.Composition.ReportOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TeamBot.Host.Background.ReportTotalsService>.Instance)
        { SettleTime = TimeSpan.Zero };
        // Every try fails: the day changes while its leads are counted, or (streaming) even before, between two looks.
        var rollups = new CountingRollups { Failing = true, Streaming = changesWithinTheSettleTime };
        var tries = new List<int>();
        for (var pass = 1; pass <= 700; pass++)
        {
            rollups.Marked["stream"] = pass * 100;
            var before = (rollups.Tries, rollups.Looks);
            await service.PassAsync(rollups, CancellationToken.None);
            if (rollups.Tries > before.Tries || rollups.Looks > before.Looks + 1) tries.Add(pass);
        }

        // 20 passes, then 40, 80 and 160 passes after each failed try, and never more than 160.
        Assert.Equal([21, 62, 143, 304, 465, 626], tries);
        Assert.Empty(rollups.Rebuilt);
        // A day that changed again within the settle time is not read at all.
        Assert.Equal(changesWithinTheSettleTime ? 0 : 6, rollups.Tries);
        rollups.Streaming = false;

        // Once the stream stops, the day is quiet at the next pass and rebuilt.
        rollups.Failing = false;
        Assert.Equal(1, await service.PassAsync(rollups, CancellationToken.None));
        Assert.Equal(["stream"], rollups.Rebuilt);
    }

    private sealed class CountingRollups : Core.Reports.IReportRollups
    {
        public Dictionary<string, long> Marked { get; } = [];

        public List<string> Rebuilt { get; } = [];

        public bool Failing { get; set; }

        public int Tries { get; private set; }

        /// <summary>Every look at the marks finds each day changed since the last look.</summary>
        public bool Streaming { get; set; }

        public int Looks { get; private set; }

        public Task<IReadOnlyList<Core.Reports.MarkedDay>> ListMarkedAsync(CancellationToken cancellationToken)
        {
            Looks++;
            if (Streaming) foreach (var key in Marked.Keys) Marked[key]++;
            return Task.FromResult<IReadOnlyList<Core.Reports.MarkedDay>>(Marked.Select(m => new Core.Reports.MarkedDay(m.Key, 1, m.Value)).ToList());
        }

        public Task<bool> RebuildAsync(Core.Reports.MarkedDay day, CancellationToken cancellationToken)
        {
            Tries++;
            if (Failing) return Task.FromResult(false);
            Marked.Remove(day.WorkspaceId);
            Rebuilt.Add(day.WorkspaceId);
            return Task.FromResult(true);
        }
    }
}
