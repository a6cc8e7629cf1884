using TeamBot.Core.Feedback;
using TeamBot.Core.Reports;

namespace TeamBot.Core.Tests.Reports;

public class QualityTallyTests
{
    [Fact]
    public void MedianAndPercentile_OnUnsortedValues_EqualThoseOnTheSortedValues()
    {
        var random = new Random(42);
        for (var round = 0; round < 300; round++)
        {
            // Few distinct values in some rounds, so that runs of equal values meet the pivot.
            var distinct = round % 3 == 0 ? 4 : 1_000_000;
            var values = Enumerable.Range(0, random.Next(1, 400)).Select(_ => (double)random.Next(distinct) / 7).ToArray();
            var sorted = values.Order().ToList();

            Assert.Equal(LeadQualityReports.Median(sorted), QualityTally.Median([.. values]));
            Assert.Equal(LeadQualityReports.Percentile(sorted, 0.95), QualityTally.Percentile([.. values], 0.95));
            Assert.Equal(LeadQualityReports.Percentile(sorted, 0.5), QualityTally.Percentile([.. values], 0.5));
            Assert.Equal(
                new SpeedFigures(LeadQualityReports.Median(sorted), LeadQualityReports.Percentile(sorted, 0.95)),
                QualityTally.Speeds([.. values]));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(60)]
    [InlineData(100_000)]
    [InlineData(int.MaxValue)]
    public void SpeedsByBuckets_EqualTheMedianAndPercentileOfTheSortedValues(int distinct)
    {
        var random = new Random(distinct);
        foreach (var count in new[] { 1, 2, 3, 20, 2047, 2048, 5001, 40_000 })
        {
            // Speeds spread over many octaves (and zeros), or crowded into a few buckets.
            var values = Enumerable.Range(0, count)
                .Select(_ => distinct == int.MaxValue ? Math.Exp(random.NextDouble() * 12) - 1 : (double)random.Next(distinct) / 7)
                .ToArray();
            var sorted = values.Order().ToList();
            var expected = new SpeedFigures(LeadQualityReports.Median(sorted), LeadQualityReports.Percentile(sorted, 0.95));

            Assert.Equal(expected, QualityTally.SpeedsByBuckets([.. values]));
            Assert.Equal(expected, QualityTally.Speeds([.. values]));
        }
    }

    [Fact]
    public void Sum_KeepsItsSpeeds_WhenItsPartsGrowOrHaveTheirFiguresPicked()
    {
        var start = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        LeadFact Claimed(int seconds) => new(seconds, start, "webinar", null, null, 1, start.AddSeconds(seconds), [], [], false, false, false, 0);
        var stored = new QualityTally();
        stored.Add(new TallyCounts(3, 3, 0, 0, 0, 0, 0, 0, 0, 0), [0, 0, 0, 0, 0], [30, 10, 20]);
        var counted = new QualityTally();
        foreach (var seconds in new[] { 50, 40 }) counted.Add(Claimed(seconds));

        var sum = QualityTally.Sum([stored, counted]);
        var labels = new Dictionary<string, string>();
        Assert.Equal(new SpeedFigures(20, 30), stored.ToFigures(labels).SpeedToClaim);
        Assert.Equal(new SpeedFigures(30, 50), sum.ToFigures(labels).SpeedToClaim);
        counted.Add(Claimed(1));
        stored.Add(new TallyCounts(1, 1, 0, 0, 0, 0, 0, 0, 0, 0), [0, 0, 0, 0, 0], [2]);

        Assert.Equal(new SpeedFigures(30, 50), sum.ToFigures(labels).SpeedToClaim);
        Assert.Equal([10, 20, 30, 40, 50], sum.ClaimSeconds.Order());
        Assert.Equal(new SpeedFigures(15, 30), stored.ToFigures(labels).SpeedToClaim);
        Assert.Equal(new SpeedFigures(40, 50), counted.ToFigures(labels).SpeedToClaim);
    }

    [Fact]
    public void Add_TalliesOfParts_EqualsTheTallyOfTheWhole()
    {
        var start = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        var leads = Enumerable.Range(0, 50).Select(i => new LeadFact(
            i, start.AddHours(i), "webinar", null, null, i % 3 == 0 ? null : 1, i % 3 == 0 ? null : start.AddHours(i).AddSeconds(i * 17),
            i % 4 == 0 ? [] : [(Rating)(i % 5 + 1), Rating.Good], i % 5 == 0 ? ["no-budget", "no-budget", "timing"] : [],
            i % 2 == 0, i % 6 == 0, i % 10 == 0, i % 10 == 0 ? 1000.50m : 0)).ToList();
        var whole = new QualityTally();
        foreach (var lead in leads) whole.Add(lead);
        var parts = new QualityTally();
        foreach (var chunk in leads.Chunk(7))
        {
            var part = new QualityTally();
            foreach (var lead in chunk) part.Add(lead);
            // As stored totals come back: counts, SQL counts, claim speeds and reasons.
            parts.Add(part.Counts, part.SqlCounts(), [.. part.ClaimSeconds]);
            foreach (var (code, count) in part.Reasons) parts.AddReason(code, count);
        }

        var labels = new Dictionary<string, string>();
        Assert.Equivalent(whole.ToFigures(labels), parts.ToFigures(labels), strict: true);
        Assert.Equal(Enum.GetValues<Rating>().Select(whole.SqlsAtLeast), Enum.GetValues<Rating>().Select(parts.SqlsAtLeast));
        // A lead counts once per reason, however often its reps gave it.
        Assert.Equal(10, whole.Reasons["no-budget"]);
        Assert.Equal(5002.5m, whole.WonAmount);
    }
}
