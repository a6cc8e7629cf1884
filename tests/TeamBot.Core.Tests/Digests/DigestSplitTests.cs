using TeamBot.Core.Chat;
using TeamBot.Core.Digests;

namespace TeamBot.Core.Tests.Digests;

public class DigestSplitTests
{
    [Fact]
    public void Split_ShortText_IsOnePart() => Assert.Equal(["Hello\n\nWorld"], TextParts.Split("Hello\n\nWorld", 100));

    [Theory]
    [InlineData(2000)]
    [InlineData(300)]
    [InlineData(57)]
    public void Split_LongDigest_NoPartOverTheLimit_NothingLost_OrderKept(int limit)
    {
        var blocks = Enumerable.Range(1, 40).Select(b => string.Join("\n", Enumerable.Range(1, 1 + b % 7).Select(l => $"block {b} line {l} " + new string('x', (b * l) % 50))));
        var text = string.Join("\n\n", blocks);

        var parts = TextParts.Split(text, limit);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, limit));
        // Splitting only removes the line breaks it split at: every other character is there, in order.
        Assert.Equal(text.Replace("\n", "", StringComparison.Ordinal), string.Concat(parts).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Split_PrefersBlockBoundaries()
    {
        var parts = TextParts.Split("aaaa\nbbbb\n\ncccc\ndddd", 12);
        Assert.Equal(["aaaa\nbbbb", "cccc\ndddd"], parts);
    }

    [Fact]
    public void Split_ALineLongerThanTheLimit_IsCutButNeverInsideAnEmoji()
    {
        var line = string.Concat(Enumerable.Repeat("ab🔥", 10));
        var parts = TextParts.Split(line, 4);

        Assert.All(parts, p => Assert.InRange(p.Length, 1, 4));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.Equal(line, string.Concat(parts));
    }

    [Fact]
    public void Bar_ShowsAShareOfTen_AndNeverHidesAValueAboveZero()
    {
        Assert.Equal("██████░░░░", DigestText.Bar(6, 10));
        Assert.Equal("█░░░░░░░░░", DigestText.Bar(1, 1000));
        Assert.Equal("░░░░░░░░░░", DigestText.Bar(0, 10));
        Assert.Equal("██████████", DigestText.Bar(12, 10));
    }
}
