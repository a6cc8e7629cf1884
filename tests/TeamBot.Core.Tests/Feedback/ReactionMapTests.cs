using TeamBot.Core.Feedback;

namespace TeamBot.Core.Tests.Feedback;

public class ReactionMapTests
{
    private static readonly ReactionMap Default = new(new Dictionary<string, string>());

    [Theory]
    [InlineData("🔥", Rating.Great)]
    [InlineData("👍", Rating.Good)]
    [InlineData("🤷", Rating.Meh)]
    [InlineData("👎", Rating.Poor)]
    [InlineData("🚫", Rating.Reject)]
    public void Lookup_WhenDefaultMapping_RatingEmojiMeanRatings(string emoji, Rating rating)
    {
        Assert.Equal(new ReactionMeaning.Rate(rating), Default.Lookup(emoji));
    }

    [Fact]
    public void Lookup_WhenDefaultMapping_RaisedHandMeansClaim()
    {
        Assert.IsType<ReactionMeaning.Claim>(Default.Lookup("🙋"));
        Assert.Equal("🙋", Default.ClaimEmoji);
        Assert.Equal("👍", Default.EmojiFor(Rating.Good));
    }

    [Theory]
    [InlineData("🎉")]
    [InlineData("")]
    [InlineData("good")]
    public void Lookup_WhenEmojiHasNoMeaning_ReturnsNull(string emoji)
    {
        Assert.Null(Default.Lookup(emoji));
    }

    [Theory]
    [InlineData("👍🏽")]
    [InlineData("👍🏻")]
    [InlineData("👍🏿")]
    [InlineData("👍\uFE0F")]
    public void Lookup_WhenSkinToneOrPresentationVariant_MeansTheSame(string emoji)
    {
        Assert.Equal(new ReactionMeaning.Rate(Rating.Good), Default.Lookup(emoji));
    }

    [Fact]
    public void Lookup_WhenRaisedHandHasSkinTone_StillClaims()
    {
        Assert.IsType<ReactionMeaning.Claim>(Default.Lookup("🙋🏾"));
    }

    [Fact]
    public void Lookup_WhenCustomMapping_UsesOnlyThatMapping()
    {
        var map = new ReactionMap(new Dictionary<string, string>
        {
            ["✅"] = "Claim",
            ["💯"] = "great",
            ["❤️"] = "4",
            ["🗑️"] = "reject",
        });

        Assert.IsType<ReactionMeaning.Claim>(map.Lookup("✅"));
        Assert.Equal(new ReactionMeaning.Rate(Rating.Great), map.Lookup("💯"));
        Assert.Equal(new ReactionMeaning.Rate(Rating.Good), map.Lookup("❤"));
        Assert.Equal(new ReactionMeaning.Rate(Rating.Reject), map.Lookup("🗑"));
        Assert.Null(map.Lookup("👍"));
        Assert.Null(map.Lookup("🙋"));
        Assert.Equal("✅", map.ClaimEmoji);
        Assert.Equal("❤️", map.EmojiFor(Rating.Good));
        Assert.Null(map.EmojiFor(Rating.Meh));
    }

    [Fact]
    public void Constructor_WhenMeaningIsUnknown_ThrowsNamingTheEmojiAndTheChoices()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ReactionMap(new Dictionary<string, string> { ["⭐"] = "awesome" }));

        Assert.Equal("mapping", ex.ParamName);
        Assert.Contains("The reaction '⭐' maps to 'awesome', which is not one of claim, great, good, meh, poor, reject.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("")]
    public void Constructor_WhenMeaningIsOffTheScale_Throws(string meaning)
    {
        Assert.Throws<ArgumentException>(() => new ReactionMap(new Dictionary<string, string> { ["⭐"] = meaning }));
    }

    [Theory]
    [InlineData("👍🏽", "👍")]
    [InlineData("❤️", "❤")]
    [InlineData("🙋🏻\uFE0F", "🙋")]
    [InlineData("👨‍👩‍👧", "👨‍👩‍👧")]
    public void Normalize_WhenVariantSelectorsOrSkinTones_DropsOnlyThose(string emoji, string expected)
    {
        Assert.Equal(expected, ReactionMap.Normalize(emoji));
    }

    [Theory]
    [InlineData(Rating.Reject, "reject")]
    [InlineData(Rating.Poor, "poor")]
    [InlineData(Rating.Great, "great")]
    public void Label_WhenRating_SaysItInAWord(Rating rating, string expected)
    {
        Assert.Equal(expected, ReactionMap.Label(new ReactionMeaning.Rate(rating)));
        Assert.Equal("claim", ReactionMap.Label(new ReactionMeaning.Claim()));
    }

    [Theory]
    [InlineData("👍")]
    [InlineData("👍🏿")]
    [InlineData("👍\uFE0F")]
    public void SkinToneVariants_OfAnEmojiWithOrWithoutATone_AreItsFiveTones(string emoji)
    {
        Assert.Equal(["👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"], ReactionMap.SkinToneVariants(emoji));
    }

    [Fact]
    public void SkinToneVariants_OfACustomEmoji_AreNone()
    {
        Assert.Empty(ReactionMap.SkinToneVariants("hot_lead:123456789012345678"));
    }
}
