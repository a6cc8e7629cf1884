using TeamBot.Core.Chat;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>Reading reactions back for reconciliation, against the loopback Discord REST fake.</summary>
public sealed class DiscordReactionReaderTests : LoopbackRestTests
{
    private const ulong BotId = 555;

    private static readonly MessageRef Handoff = new(DiscordChatPlatform.Platform, "discord-7", "10", "11");

    private DiscordReactionReader Reader() => new(Client(), () => BotId);

    [Fact]
    public async Task Read_MoreThanAPageOfReactors_ReadsEveryPageOfNormalAndSuperReactions()
    {
        for (ulong u = 1; u <= 150; u++) Fake.AddReaction(10, 11, "🔥", 1000 + u);
        Fake.AddReaction(10, 11, "🔥", 1001, burst: true);
        Fake.AddReaction(10, 11, "🔥", 2000, burst: true);

        var users = await Reader().ReadAsync(Handoff, "🔥", default);

        Assert.Equal(151, users.Count);
        Assert.Equal(151, users.Select(u => u.Id).Distinct().Count());
        Assert.Contains(users, u => u.Id == "2000" && u.DisplayName == "user2000" && u.Roles is null && !u.IsBot);
        Assert.Equal(["type=0&limit=100", "type=0&limit=100&after=1100", "type=1&limit=100"], Fake.Requests.Select(r => r.Query.TrimStart('?')));
    }

    [Fact]
    public async Task Read_TheBotsOwnReactionAndOtherBots_ComeBackMarkedAsBots()
    {
        Fake.AddReaction(10, 11, "hot_lead:123456789012345678", BotId);
        Fake.AddReaction(10, 11, "hot_lead:123456789012345678", 777);
        Fake.AddReaction(10, 11, "hot_lead:123456789012345678", 900);
        Fake.MarkBot(777);

        var users = await Reader().ReadAsync(Handoff, "<:hot_lead:123456789012345678>", default);

        Assert.Equal([("555", true), ("777", true), ("900", false)], users.Select(u => (u.Id, u.IsBot)).Order());
        Assert.All(Fake.Requests, r => Assert.Equal("/api/v10/channels/10/messages/11/reactions/hot_lead:123456789012345678", r.Path));
    }

    [Fact]
    public async Task Read_AnEmojiDiscordDoesNotKnow_HasNoReactors()
    {
        var users = await Reader().ReadAsync(Handoff, "🔥🏽", default);

        Assert.Empty(users);
        Assert.All(Fake.Requests, r => Assert.Equal(400, r.Status));
    }

    [Fact]
    public async Task Read_ADeletedMessage_FailsAsAPlatformErrorThatSaysSo()
    {
        Fake.Script(r => r.Method == "GET", new ScriptedResponse(404, """{"message":"Unknown Message","code":10008}"""));

        var error = await Assert.ThrowsAsync<ChatPlatformException>(() => Reader().ReadAsync(Handoff, "🔥", default));

        Assert.False(error.Transient);
        Assert.Contains("could not read reactions in 10: the message no longer exists", error.Message, StringComparison.Ordinal);
    }
}
