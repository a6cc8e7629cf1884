using System.Text.Json;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;

namespace TeamBot.Core.Tests.Handoffs;

public class OutboxCodecTests
{
    private static T RoundTrip<T>(T message, string kind)
        where T : OutboxMessage
    {
        var json = OutboxCodec.Encode(message);

        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal(kind, document.RootElement.GetProperty("type").GetString());
        }
        Assert.Equal(kind, OutboxCodec.Kind(message));
        var decoded = Assert.IsType<T>(OutboxCodec.Decode(json));
        Assert.Equal(json, OutboxCodec.Encode(decoded));
        return decoded;
    }

    [Fact]
    public void Decode_WhenPostHandoffEncoded_ReturnsTheSameMessage()
    {
        var decoded = RoundTrip(new PostHandoff(42), "handoff");

        Assert.Equal(new PostHandoff(42), decoded);
        Assert.Equal(42, decoded.LeadId);
    }

    [Fact]
    public void Decode_WhenRefreshCardEncoded_ReturnsTheSameMessage()
    {
        Assert.Equal(new RefreshCard(7), RoundTrip(new RefreshCard(7), "refresh-card"));
    }

    [Fact]
    public void Decode_WhenPostInThreadEncoded_KeepsTextAndWhomToNotify()
    {
        var decoded = RoundTrip(new PostInThread(42, "🙋 Sam claimed this lead. \"Quoted\" <b>text</b>", [3, 5]), "thread-note");

        Assert.Equal(42, decoded.Lead);
        Assert.Equal("🙋 Sam claimed this lead. \"Quoted\" <b>text</b>", decoded.Text);
        Assert.Equal([3L, 5L], decoded.Notify);
        Assert.Equal(42, decoded.LeadId);
    }

    [Fact]
    public void Decode_WhenPostReasonPromptEncoded_KeepsTheRating()
    {
        Assert.Equal(new PostReasonPrompt(42, 3, Rating.Reject), RoundTrip(new PostReasonPrompt(42, 3, Rating.Reject), "reason-prompt"));
    }

    [Fact]
    public void Decode_WhenPostToChannelEncoded_KeepsPlaceTextAndNotify()
    {
        var decoded = RoundTrip(new PostToChannel("w1", "general", "5 handoffs are waiting.\nSecond line", []), "channel-note");

        Assert.Equal("w1", decoded.WorkspaceId);
        Assert.Equal("general", decoded.PlaceId);
        Assert.Equal("5 handoffs are waiting.\nSecond line", decoded.Text);
        Assert.Empty(decoded.Notify);
        Assert.Null(decoded.LeadId);
    }

    [Fact]
    public void Decode_WhenSendDirectEncoded_ReturnsTheSameMessage()
    {
        Assert.Equal(new SendDirect("w1", 9, "Lead #42 waits for you."), RoundTrip(new SendDirect("w1", 9, "Lead #42 waits for you."), "direct"));
    }

    [Fact]
    public void Decode_WhenAddBotReactionEncoded_KeepsTheMessageReference()
    {
        var message = new AddBotReaction(new MessageRef("discord", "guild-1", "thread-9", "1234567890123456789"), "📝");

        Assert.Equal(message, RoundTrip(message, "reaction"));
    }

    [Fact]
    public void Decode_WhenTypeUnknown_Throws()
    {
        Assert.ThrowsAny<Exception>(() => OutboxCodec.Decode("""{"type": "telepathy", "lead": 1}"""));
    }

    [Fact]
    public void Decode_WhenJsonIsNull_Throws()
    {
        Assert.Throws<JsonException>(() => OutboxCodec.Decode("null"));
    }
}
