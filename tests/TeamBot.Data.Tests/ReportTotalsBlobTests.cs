using TeamBot.Core.Feedback;
using TeamBot.Core.Reports;
using TeamBot.Data.Stores;

namespace TeamBot.Data.Tests;

public class ReportTotalsBlobTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_ThenAddTo_GivesBackEveryGroupsFigures()
    {
        var totals = PeriodTotals.FromFacts(Leads(), ReportGrouping.Source);
        var sum = new PeriodTotals.Builder();
        ReportTotalsBlob.AddTo(sum, ReportTotalsBlob.Write(totals));
        Assert.Equal(Describe(totals), Describe(sum.ToTotals()));
    }

    [Fact]
    public void AddTo_TheEarlierFormatWithClaimSpeedsInNoOrder_GivesTheSameFigures()
    {
        // One group, so its claim speeds are the blob's last bytes: reversed, they are out of order, as format 1 kept them.
        var totals = PeriodTotals.FromFacts(Leads(), ReportGrouping.Segment);
        Assert.Single(totals.Groups);
        var blob = ReportTotalsBlob.Write(totals);
        var claims = totals.Total.Claimed;
        var speeds = blob.AsSpan(blob.Length - 8 * claims).ToArray().Chunk(8).Reverse().SelectMany(b => b).ToArray();
        speeds.CopyTo(blob, blob.Length - 8 * claims);
        blob[0] = 1;

        var sum = new PeriodTotals.Builder();
        ReportTotalsBlob.AddTo(sum, blob);
        Assert.Equal(Describe(totals), Describe(sum.ToTotals()));
        blob[0] = 9;
        Assert.Throws<InvalidDataException>(() => ReportTotalsBlob.AddTo(new PeriodTotals.Builder(), blob));
    }

    private static List<LeadFact> Leads() =>
        [.. Enumerable.Range(0, 40).Select(i => new LeadFact(
            i, Start.AddHours(i), i % 3 == 0 ? "webinar" : "ads", null, null, i % 4 == 0 ? null : 7,
            i % 4 == 0 ? null : Start.AddHours(i).AddSeconds(1000 - i * 23.5),
            i % 2 == 0 ? [Rating.Poor, Rating.Good] : [], i % 5 == 0 ? ["no-budget"] : [], i % 2 == 0, i % 6 == 0, i % 10 == 0, i % 10 == 0 ? 99.5m : 0))];

    private static string Describe(PeriodTotals totals) => System.Text.Json.JsonSerializer.Serialize(
        totals.Groups.Select(g => new { g.Key, Figures = g.Tally.ToFigures(new Dictionary<string, string>()), Seconds = g.Tally.SortedClaimSeconds() })
            .Append(new { Key = (string?)"total", Figures = totals.Total.ToFigures(new Dictionary<string, string>()), Seconds = totals.Total.SortedClaimSeconds() }));
}
