using TeamBot.Chat.BotFramework.Activities;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class ActivityParseTests
{
    [Fact]
    public void TryParse_ATeamsChannelMessage_ReadsEveryFieldAndIgnoresUnknownOnes()
    {
        Assert.True(Activity.TryParse(TeamsPayloads.ChannelMention, out var a, out var error), error);

        Assert.Equal(("message", "1763630131402", "msteams", "https://smba.trafficmanager.net/emea/"), (a.Type, a.Id, a.ChannelId, a.ServiceUrl));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 15, 31, 402, TimeSpan.Zero), a.Timestamp);
        Assert.Equal(new ChannelAccount(TeamsPayloads.Sam, "Sam Rivera", TeamsPayloads.SamAad), a.From);
        Assert.Equal(TeamsPayloads.Bot, a.Recipient?.Id);
        Assert.Equal(new ConversationAccount(TeamsPayloads.Channel, "channel", TeamsPayloads.Tenant, true), a.Conversation);
        Assert.Equal("plain", a.TextFormat);
        Assert.Equal(new ActivityEntity("mention", new ChannelAccount(TeamsPayloads.Bot, "TeamBot"), "<at>TeamBot</at>"), a.Entities![0]);
        Assert.Equal("clientInfo", a.Entities[1].Type);
        Assert.Equal((TeamsPayloads.Team, TeamsPayloads.Channel, TeamsPayloads.Tenant), (a.TeamId, a.TeamsChannelId, a.TenantId));
        Assert.False(a.IsPersonal);
        Assert.False(a.IsThreadReply);
    }

    [Fact]
    public void TryParse_AThreadReply_IsAThreadReplyWhoseTenantComesFromChannelData()
    {
        Assert.True(Activity.TryParse(TeamsPayloads.Message("thanks", TeamsPayloads.ThreadId, tenantInConversation: false), out var a, out _));

        Assert.True(a.IsThreadReply);
        Assert.Equal(TeamsPayloads.Tenant, a.TenantId);
    }

    [Fact]
    public void TryParse_AnInvoke_KeepsNameAndValue()
    {
        Assert.True(Activity.TryParse(TeamsPayloads.CardAction("rate", """{"value":"great"}"""), out var a, out _));

        Assert.Equal("adaptiveCard/action", a.Name);
        Assert.Equal("Action.Execute", a.Value!.Value.GetProperty("action").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("{\"type\":\"message\"", "The activity is not JSON (line 1, byte 17).")]
    [InlineData("hello", "The activity is not JSON (line 1, byte 0).")]
    [InlineData("", "The activity is not JSON (line 1, byte 0).")]
    [InlineData("[{\"type\":\"message\"}]", "The activity must be a JSON object, not an array.")]
    [InlineData("\"message\"", "The activity must be a JSON object, not a string.")]
    [InlineData("{\"text\":\"hi\"}", "The activity has no type (a non-empty string such as \"message\").")]
    [InlineData("{\"type\":7}", "The activity has no type (a non-empty string such as \"message\").")]
    [InlineData("{\"type\":\"message\",\"serviceUrl\":\"https://smba.test/\"}", "An activity of type message needs conversation.id.")]
    [InlineData("{\"type\":\"invoke\",\"conversation\":{\"id\":\" \"},\"serviceUrl\":\"https://smba.test/\"}", "An activity of type invoke needs conversation.id.")]
    [InlineData("{\"type\":\"messageReaction\",\"conversation\":{\"id\":\"19:c@thread.tacv2\"}}", "An activity of type messageReaction needs serviceUrl.")]
    [InlineData("{\"type\":\"message\",\"from\":\"29:sam\"}", "The activity's field $.from has the wrong shape.")]
    [InlineData("{\"type\":\"message\",\"timestamp\":\"yesterday\"}", "The activity's field $.timestamp has the wrong shape.")]
    public void TryParse_MalformedInput_SaysWhatIsWrong(string json, string expected)
    {
        Assert.False(Activity.TryParse(json, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_TextOverTheLimit_IsRefusedWithItsLength()
    {
        var json = TeamsPayloads.Message(new string('x', Activity.MaxTextLength + 1), TeamsPayloads.Personal, conversationType: "personal");

        Assert.False(Activity.TryParse(json, out _, out var error));
        Assert.Equal($"The activity's text is {Activity.MaxTextLength + 1} characters long; at most {Activity.MaxTextLength} are accepted.", error);
    }

    [Fact]
    public void TryParse_ATypeTeamBotDoesNotAnswer_NeedsNoAddress()
    {
        Assert.True(Activity.TryParse("""{"type":"typing","from":{"id":"29:sam"},"someFutureField":{"x":[1,2]}}""", out var a, out _));
        Assert.Equal("typing", a.Type);
        Assert.Null(a.TeamId);
    }
}
