using System.Globalization;
using TeamBot.Core.Reports;

namespace TeamBot.Core.Tests.Reports;

public class LeadQualityCardTests
{
    private const string Before = "the 30 days before";

    private static QualityFigures Figures(
        int leads,
        int claimed = 0,
        int rated = 0,
        double? averageRating = null,
        int rejected = 0,
        ReasonCount[]? reasons = null,
        double? medianSeconds = null,
        double? p95Seconds = null,
        int meetings = 0,
        int opportunities = 0,
        int won = 0,
        decimal wonAmount = 0) =>
        new(leads, claimed, rated, averageRating, rejected, reasons ?? [], new SpeedFigures(medianSeconds, p95Seconds),
            meetings, opportunities, won, wonAmount);

    private static string[] Lines(QualityFigures now, QualityFigures before) =>
        LeadQualityCard.Describe(new QualityGroup("webinar", now, before), Before).Split('\n');

    private static ReportPeriod ThirtyDays()
    {
        Assert.True(ReportPeriod.TryParse("30d", new DateTimeOffset(2026, 11, 16, 9, 30, 0, TimeSpan.Zero), TimeZoneInfo.Utc, out var period, out _));
        return period;
    }

    [Fact]
    public void Describe_WhenMoreLeadsThanBefore_SaysUpAndTheClaimRate()
    {
        var lines = Lines(Figures(12, claimed: 3), Figures(10));

        Assert.Equal("12 leads (up 2 from 10); 3 of 12 claimed (25%)", lines[0]);
    }

    [Theory]
    [InlineData(8, 10, "8 leads (down 2 from 10)")]
    [InlineData(10, 10, "10 leads (the same as in the 30 days before)")]
    [InlineData(1, 0, "1 lead (none in the 30 days before)")]
    [InlineData(0, 0, "0 leads;")]
    public void Describe_WhenLeadCountChanges_SaysHow(int now, int before, string expectedStart)
    {
        var lines = Lines(Figures(now), Figures(before));

        Assert.StartsWith(expectedStart, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_WhenRatedAndRejected_GivesAverageRejectionsAndTopReasons()
    {
        var now = Figures(12, claimed: 3, rated: 3, averageRating: 3.33, rejected: 2,
            reasons: [new("no-budget", "No budget", 2), new("wrong-fit", "Wrong fit", 1)]);

        var lines = Lines(now, Figures(10, averageRating: 2.5));

        Assert.Equal("Average rating 3.3 of 5 from 3 rated leads (up from 2.5)", lines[1]);
        Assert.Equal("2 of 12 rejected (17%); top reasons: no budget (2), wrong fit (1)", lines[2]);
    }

    [Theory]
    [InlineData(3.0, 3.02, " (same as before)")]
    [InlineData(2.5, 4.0, " (down from 4.0)")]
    public void Describe_WhenRatingMovesLittleOrDown_SaysSo(double now, double before, string expectedEnd)
    {
        var lines = Lines(Figures(4, rated: 4, averageRating: now), Figures(4, averageRating: before));

        Assert.EndsWith(expectedEnd, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_WhenNobodyRated_SaysNoRatingsYet()
    {
        var lines = Lines(Figures(5), Figures(5));

        Assert.Equal("No ratings yet", lines[1]);
    }

    [Fact]
    public void Describe_WhenReasonsButNoRejections_ListsTheReasons()
    {
        var lines = Lines(Figures(5, reasons: [new("timing", "Timing", 2)]), Figures(5));

        Assert.Contains("None rejected; reasons given: timing (2)", lines);
    }

    [Fact]
    public void Describe_WhenLeadsWereClaimed_GivesSpeedToClaimInWords()
    {
        var lines = Lines(Figures(5, claimed: 5, medianSeconds: 840, p95Seconds: 3900), Figures(5, medianSeconds: 600));

        Assert.Contains("Speed to claim: median 14 minutes, 95th percentile 1 hour, 5 minutes (median was 10 minutes)", lines);
    }

    [Fact]
    public void Describe_WhenDealsWon_GivesTheFunnelWithAmountAndChange()
    {
        var lines = Lines(Figures(12, meetings: 2, opportunities: 1, won: 1, wonAmount: 12_000m), Figures(10, won: 2));

        Assert.Equal("Conversion: 2 meetings (17%), 1 opportunity, 1 won (12,000) (down 1 from 2 won)", lines[^1]);
    }

    [Fact]
    public void Describe_WhenWonAmountHasCents_ShowsThem()
    {
        var lines = Lines(Figures(3, won: 1, wonAmount: 12_500.5m), Figures(3));

        Assert.Equal("Conversion: 0 meetings (0%), 0 opportunities, 1 won (12,500.50)", lines[^1]);
    }

    [Fact]
    public void Describe_WhenServerCultureUsesDecimalCommas_StillWritesPointsLikeTheRestOfTheText()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            var lines = Lines(Figures(4, rated: 4, averageRating: 3.25), Figures(4, averageRating: 2.5));

            Assert.Equal("Average rating 3.3 of 5 from 4 rated leads (up from 2.5)", lines[1]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Render_WhenGroupsHaveLeads_ShowsTotalAndOneFieldPerGroup()
    {
        var report = new LeadQualityReport("w1", ThirtyDays(), ReportGrouping.Source,
            new QualityGroup("all", Figures(12, claimed: 3), Figures(10)),
            [
                new QualityGroup("webinar", Figures(8, claimed: 2), Figures(6)),
                new QualityGroup("event", Figures(4, claimed: 1), Figures(2)),
                new QualityGroup("ads", Figures(0), Figures(2)),
            ]);

        var card = LeadQualityCard.Render(report);

        Assert.Equal("Lead quality by source: last 30 days", card.Title);
        Assert.StartsWith("All ", card.Fields[0].Name, StringComparison.Ordinal);
        Assert.StartsWith("12 leads (up 2 from 10); 3 of 12 claimed (25%)", card.Fields[0].Value, StringComparison.Ordinal);
        Assert.Equal(["All sources", "webinar", "event"], card.Fields.Select(f => f.Name));
        Assert.StartsWith("8 leads (up 2 from 6); 2 of 8 claimed (25%)", card.Fields[1].Value, StringComparison.Ordinal);
        Assert.Contains("Changes compare with the 30 days before.", card.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenMoreGroupsThanFit_SumsUpTheRest()
    {
        var groups = Enumerable.Range(1, LeadQualityCard.MaxGroups + 2)
            .Select(i => new QualityGroup($"campaign {i}", Figures(i < 11 ? 5 : 2), Figures(0)))
            .ToList();
        var report = new LeadQualityReport("w1", ThirtyDays(), ReportGrouping.Campaign,
            new QualityGroup("all", Figures(54), Figures(0)), groups);

        var card = LeadQualityCard.Render(report);

        Assert.Equal(LeadQualityCard.MaxGroups + 2, card.Fields.Count);
        Assert.Equal("All campaigns", card.Fields[0].Name);
        Assert.Equal("…and 2 more campaigns", card.Fields[^1].Name);
        Assert.Equal("4 leads between them", card.Fields[^1].Value);
    }

    [Fact]
    public void Render_WhenNoLeadsArrived_SaysSoAndHowManyCameBefore()
    {
        var report = new LeadQualityReport("w1", ThirtyDays(), ReportGrouping.Rep,
            new QualityGroup("all", Figures(0), Figures(5)), [new QualityGroup("Sam", Figures(0), Figures(5))]);

        var card = LeadQualityCard.Render(report);

        Assert.Equal("Lead quality by rep: last 30 days", card.Title);
        Assert.Equal("No leads arrived (last 30 days). There were 5 leads in the 30 days before.", card.Text);
        Assert.Empty(card.Fields);
    }

    [Theory]
    [InlineData(0.25, "25%")]
    [InlineData(0.1667, "17%")]
    [InlineData(1, "100%")]
    [InlineData(0, "0%")]
    public void Percent_WhenRate_RoundsToWholePercent(double rate, string expected)
    {
        Assert.Equal(expected, LeadQualityCard.Percent(rate));
    }
}
