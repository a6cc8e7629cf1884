using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Feedback;

public class FeedbackParsingTests
{
    [Theory]
    [InlineData("contacted", LeadStage.Contacted)]
    [InlineData("Called", LeadStage.Contacted)]
    [InlineData("meeting booked", LeadStage.Meeting)]
    [InlineData("Demo", LeadStage.Meeting)]
    [InlineData("opp", LeadStage.Opportunity)]
    [InlineData("Opportunity Created", LeadStage.Opportunity)]
    [InlineData("closed-won", LeadStage.Won)]
    [InlineData("WON", LeadStage.Won)]
    [InlineData("Closed Lost", LeadStage.Lost)]
    public void TryParseStage_WhenWordForAnOutcome_ReturnsTheStage(string text, LeadStage expected)
    {
        Assert.True(FeedbackService.TryParseStage(text, out var stage));
        Assert.Equal(expected, stage);
    }

    [Theory]
    [InlineData("new")]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData("3")]
    public void TryParseStage_WhenNotAnOutcome_ReturnsFalse(string text)
    {
        Assert.False(FeedbackService.TryParseStage(text, out _));
    }

    [Theory]
    [InlineData("12000", "12000")]
    [InlineData("12k", "12000")]
    [InlineData("12K", "12000")]
    [InlineData("1.5k", "1500")]
    [InlineData("12,500.50", "12500.50")]
    [InlineData(" 12 500 ", "12500")]
    [InlineData("$3m", "3000000")]
    [InlineData("€2.5M", "2500000")]
    [InlineData("£0", "0")]
    [InlineData("999999999999", "999999999999")]
    public void TryParseAmount_WhenWrittenAsPeopleDo_ReturnsTheAmount(string text, string expected)
    {
        Assert.True(FeedbackService.TryParseAmount(text, out var amount));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("$-5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("12kk")]
    [InlineData("1e6")]
    [InlineData("1000000000000")]
    public void TryParseAmount_WhenNotAnAmount_ReturnsFalse(string text)
    {
        Assert.False(FeedbackService.TryParseAmount(text, out _));
    }

    [Theory]
    [InlineData("1000000m")]
    [InlineData("999999999999k")]
    [InlineData("100000000000000000000000m")]
    public void TryParseAmount_WhenSuffixPushesItPastTheLimit_ReturnsFalse(string text)
    {
        Assert.False(FeedbackService.TryParseAmount(text, out _));
    }
}
