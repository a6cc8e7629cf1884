using TeamBot.Core.Feedback;
using TeamBot.Core.Reports;
using TeamBot.Core.Tests.Fakes;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Reports;

public class LeadQualityReportsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["no-budget"] = "No budget",
        ["wrong-fit"] = "Wrong fit",
        ["timing"] = "Timing",
    };

    private static LeadFact Fact(
        long id,
        double? claimedAfterSeconds = null,
        Rating[]? ratings = null,
        string[]? reasons = null,
        bool meeting = false,
        bool opportunity = false,
        decimal? won = null,
        string? source = "webinar",
        long? claimedBy = null,
        DateTimeOffset? receivedAt = null)
    {
        var received = receivedAt ?? Start.AddHours(id);
        return new LeadFact(
            id, received, source, "spring", "smb",
            claimedAfterSeconds is null ? null : claimedBy ?? 1,
            claimedAfterSeconds is { } s ? received.AddSeconds(s) : null,
            ratings ?? [], reasons ?? [], meeting, opportunity, won is not null, won ?? 0);
    }

    [Theory]
    [InlineData(new double[] { 7 }, 7)]
    [InlineData(new double[] { 1, 2, 30 }, 2)]
    [InlineData(new double[] { 1, 2, 3, 10 }, 2.5)]
    [InlineData(new double[] { 60, 120 }, 90)]
    public void Median_WhenValuesSorted_ReturnsTheMiddle(double[] sorted, double expected)
    {
        Assert.Equal(expected, LeadQualityReports.Median(sorted));
    }

    [Fact]
    public void Median_WhenNoValues_ReturnsNull()
    {
        Assert.Null(LeadQualityReports.Median([]));
        Assert.Null(LeadQualityReports.Percentile([], 0.95));
    }

    [Theory]
    [InlineData(20, 19)]
    [InlineData(10, 10)]
    [InlineData(100, 95)]
    [InlineData(1, 1)]
    public void Percentile_WhenNinetyFifth_UsesTheNearestRank(int count, double expected)
    {
        var sorted = Enumerable.Range(1, count).Select(i => (double)i).ToList();

        Assert.Equal(expected, LeadQualityReports.Percentile(sorted, 0.95));
    }

    [Fact]
    public void Percentile_WhenFiftieth_IsTheLowerMiddleForAnEvenCount()
    {
        Assert.Equal(2, LeadQualityReports.Percentile([1, 2, 3, 4], 0.5));
    }

    [Fact]
    public void Figures_WhenMixedLeads_CountsWhatTheReportShows()
    {
        var leads = new[]
        {
            Fact(1, claimedAfterSeconds: 60, ratings: [Rating.Great], meeting: true, opportunity: true, won: 12_000m),
            Fact(2, claimedAfterSeconds: 300, ratings: [Rating.Good, Rating.Reject], reasons: ["no-budget", "no-budget"], meeting: true),
            Fact(3, reasons: ["no-budget", "wrong-fit"]),
            Fact(4, ratings: [Rating.Reject], reasons: ["student", "timing"], won: 500.5m),
        };

        var figures = LeadQualityReports.Figures(leads, Labels);

        Assert.Equal(4, figures.Leads);
        Assert.Equal(2, figures.Claimed);
        Assert.Equal(0.5, figures.ClaimRate);
        Assert.Equal(3, figures.Rated);
        Assert.Equal(2.75, figures.AverageRating);
        Assert.Equal(2, figures.Rejected);
        Assert.Equal(0.5, figures.RejectionRate);
        Assert.Equal(180, figures.SpeedToClaim.MedianSeconds);
        Assert.Equal(300, figures.SpeedToClaim.P95Seconds);
        Assert.Equal(2, figures.Meetings);
        Assert.Equal(1, figures.Opportunities);
        Assert.Equal(2, figures.Won);
        Assert.Equal(12_500.5m, figures.WonAmount);
        Assert.Equal(0.5, figures.WinRate);
    }

    [Fact]
    public void Figures_WhenReasonsGiven_TopThreeByCountThenLabel()
    {
        var leads = new[]
        {
            Fact(1, reasons: ["wrong-fit", "no-budget", "no-budget"]),
            Fact(2, reasons: ["no-budget", "timing"]),
            Fact(3, reasons: ["student"]),
        };

        var reasons = LeadQualityReports.Figures(leads, Labels).TopReasons;

        Assert.Equal(
            [("no-budget", "No budget", 2), ("student", "student", 1), ("timing", "Timing", 1)],
            reasons.Select(r => (r.Code, r.Label, r.Count)));
    }

    [Fact]
    public void Figures_WhenLeadClaimedBeforeItArrived_CountsZeroSeconds()
    {
        var figures = LeadQualityReports.Figures([Fact(1, claimedAfterSeconds: -30)], Labels);

        Assert.Equal(0, figures.SpeedToClaim.MedianSeconds);
    }

    [Fact]
    public void Figures_WhenNoLeads_ReportsZerosAndNoAverages()
    {
        var figures = LeadQualityReports.Figures([], Labels);

        Assert.Equal(0, figures.Leads);
        Assert.Equal(0, figures.ClaimRate);
        Assert.Null(figures.AverageRating);
        Assert.Null(figures.SpeedToClaim.MedianSeconds);
        Assert.Empty(figures.TopReasons);
    }

    [Theory]
    [InlineData(null, true, ReportGrouping.Source)]
    [InlineData("Campaign", true, ReportGrouping.Campaign)]
    [InlineData(" rep ", true, ReportGrouping.Rep)]
    [InlineData("2", false, ReportGrouping.Source)]
    [InlineData("colour", false, ReportGrouping.Source)]
    public void TryParseGrouping_WhenText_ReturnsTheGrouping(string? text, bool ok, ReportGrouping expected)
    {
        Assert.Equal(ok, LeadQualityReports.TryParseGrouping(text, out var grouping));
        if (ok) Assert.Equal(expected, grouping);
    }

    [Fact]
    public async Task BuildAsync_WhenGroupedBySource_ComparesEachGroupWithThePreviousPeriod()
    {
        var now = new DateTimeOffset(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);
        Assert.True(ReportPeriod.TryParse("7d", now, TimeZoneInfo.Utc, out var period, out _));
        var facts = new FakeLeadFacts();
        void Add(long id, string? source, int daysAgo) =>
            facts.Facts.Add(("w1", Fact(id, source: source, receivedAt: now.AddDays(-daysAgo))));
        Add(1, "webinar", 1);
        Add(2, "Webinar", 2);
        Add(3, "event", 3);
        Add(4, null, 4);
        Add(5, "webinar", 8);
        Add(6, "ads", 9);
        Add(7, "ads", 20);
        facts.Facts.Add(("other", Fact(8, source: "webinar", receivedAt: now.AddDays(-1))));
        var reports = new LeadQualityReports(facts, new FakeFeedbackStore(), new FakePeopleStore());

        var report = await reports.BuildAsync("w1", period, ReportGrouping.Source, CancellationToken.None);

        Assert.Equal(4, report.Total.Current.Leads);
        Assert.Equal(2, report.Total.Previous.Leads);
        Assert.Equal(
            [("webinar", 2, 1), ("(none)", 1, 0), ("event", 1, 0), ("ads", 0, 1)],
            report.Groups.Select(g => (g.Key.ToLowerInvariant(), g.Current.Leads, g.Previous.Leads)));
    }

    [Fact]
    public async Task BuildAsync_WhenGroupedByRep_NamesRepsAndUnclaimedLeads()
    {
        var now = new DateTimeOffset(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);
        Assert.True(ReportPeriod.TryParse("30d", now, TimeZoneInfo.Utc, out var period, out _));
        var facts = new FakeLeadFacts();
        facts.Facts.Add(("w1", Fact(1, claimedAfterSeconds: 60, claimedBy: 7, receivedAt: now.AddDays(-1))));
        facts.Facts.Add(("w1", Fact(2, claimedAfterSeconds: 60, claimedBy: 7, receivedAt: now.AddDays(-2))));
        facts.Facts.Add(("w1", Fact(3, claimedAfterSeconds: 60, claimedBy: 99, receivedAt: now.AddDays(-2))));
        facts.Facts.Add(("w1", Fact(4, receivedAt: now.AddDays(-3))));
        var people = new FakePeopleStore()
            .Add(new Person(7, "w1", "u7", "Sam Rivera", TeamRoles.Sales, null, Availability.Default("UTC")));
        var reports = new LeadQualityReports(facts, new FakeFeedbackStore(), people);

        var report = await reports.BuildAsync("w1", period, ReportGrouping.Rep, CancellationToken.None);

        Assert.Equal(["Sam Rivera", "(unclaimed)", "person 99"], report.Groups.Select(g => g.Key));
    }

    [Fact]
    public async Task BuildAsync_WhenReasonOptionsHaveLabels_UsesThemForTopReasons()
    {
        var now = new DateTimeOffset(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);
        Assert.True(ReportPeriod.TryParse("7d", now, TimeZoneInfo.Utc, out var period, out _));
        var facts = new FakeLeadFacts();
        facts.Facts.Add(("w1", Fact(1, reasons: ["no-budget"], receivedAt: now.AddHours(-1))));
        var feedback = new FakeFeedbackStore();
        feedback.ReasonOptions.Add(new ReasonOption("no-budget", "No budget at all", 1));
        var reports = new LeadQualityReports(facts, feedback, new FakePeopleStore());

        var report = await reports.BuildAsync("w1", period, ReportGrouping.Source, CancellationToken.None);

        Assert.Equal("No budget at all", Assert.Single(report.Total.Current.TopReasons).Label);
    }
}
