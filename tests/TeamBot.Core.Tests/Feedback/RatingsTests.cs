using TeamBot.Core.Feedback;

namespace TeamBot.Core.Tests.Feedback;

public class RatingsTests
{
    [Theory]
    [InlineData("great", Rating.Great)]
    [InlineData("5", Rating.Great)]
    [InlineData("Reject", Rating.Reject)]
    [InlineData(" meh ", Rating.Meh)]
    [InlineData("1", Rating.Reject)]
    public void TryParse_WhenWordOrNumberOnTheScale_ReturnsRating(string text, Rating expected)
    {
        Assert.True(Ratings.TryParse(text, out var rating));
        Assert.Equal(expected, rating);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("-1")]
    [InlineData("excellent")]
    [InlineData("")]
    public void TryParse_WhenOffTheScaleOrUnknown_ReturnsFalse(string text)
    {
        Assert.False(Ratings.TryParse(text, out _));
    }
}
