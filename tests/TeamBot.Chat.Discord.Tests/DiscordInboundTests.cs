using System.Text.Json;
using TeamBot.Chat.Discord.Gateway;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;

namespace TeamBot.Chat.Discord.Tests;

public sealed class DiscordInboundTests
{
    private const ulong Guild = 4000;
    private const ulong Bot = 9000;
    private const ulong SalesRole = 501;
    private const ulong MarketingRole = 502;
    private const string Workspace = "discord-4000";

    private static readonly DiscordInbound Inbound = new(new DiscordInboundSettings(
        Bot,
        guild => guild == Guild ? DiscordInboundSettings.DefaultWorkspaceId(guild) : null,
        user => user == 1001 ? Guild : null,
        guild => guild == Guild ? new Dictionary<ulong, TeamRoles> { [SalesRole] = TeamRoles.Sales, [MarketingRole] = TeamRoles.Marketing } : null,
        channel => channel == 7700));

    private static InboundTranslation Translate(string type, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var decoded = GatewayEventDecoder.Decode(type, doc.RootElement);
        Assert.NotNull(decoded);
        return Inbound.Translate(decoded);
    }

    private static T Event<T>(string type, string json) where T : ChatEvent => Assert.IsType<T>(Translate(type, json).Event);

    [Fact]
    public void ReactionAdd_WithAUnicodeEmoji_IsAReactionByTheMemberWithMappedRoles()
    {
        var e = Event<ReactionChanged>("MESSAGE_REACTION_ADD", """
            {"user_id":"1001","type":0,"message_id":"3300","message_author_id":"9000","guild_id":"4000","channel_id":"2200","burst":false,
             "member":{"user":{"id":"1001","username":"sam.rep","global_name":"Sam","bot":false},"roles":["501"],"nick":null,"joined_at":"2026-01-01T00:00:00+00:00"},
             "emoji":{"name":"👍","id":null}}
            """);

        Assert.Equal(new MessageRef("discord", Workspace, "2200", "3300"), e.Message);
        Assert.Equal(new ChatUser("1001", "Sam", TeamRoles.Sales), e.User);
        Assert.Equal("👍", e.Emoji);
        Assert.True(e.Added);
    }

    [Fact]
    public void ReactionRemove_WithoutMember_AndACustomEmoji_KeepsStoredNameAndRoles()
    {
        var e = Event<ReactionChanged>("MESSAGE_REACTION_REMOVE", """
            {"user_id":"1001","message_id":"3300","guild_id":"4000","channel_id":"2200","burst":false,"type":0,
             "emoji":{"name":"hot_lead","id":"777111","animated":false}}
            """);

        Assert.False(e.Added);
        Assert.Equal("hot_lead:777111", e.Emoji);
        Assert.Equal(new ChatUser("1001", "", null), e.User);
    }

    [Fact]
    public void Reaction_WithADeletedCustomEmoji_IsIgnored()
    {
        var result = Translate("MESSAGE_REACTION_ADD", """
            {"user_id":"1001","message_id":"3300","guild_id":"4000","channel_id":"2200","emoji":{"name":null,"id":"777111"}}
            """);

        Assert.True(result.IsIgnored);
    }

    [Fact]
    public void Reaction_ByTheBotItself_IsMarkedAsTheBots()
    {
        var e = Event<ReactionChanged>("MESSAGE_REACTION_ADD", """
            {"user_id":"9000","message_id":"3300","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"9000","username":"TeamBot","bot":true},"roles":[]},"emoji":{"name":"🔥","id":null}}
            """);

        Assert.True(e.User.IsBot);
    }

    [Fact]
    public void Reaction_InAGuildTeamBotDoesNotServe_IsIgnored()
    {
        Assert.True(Translate("MESSAGE_REACTION_ADD", """
            {"user_id":"1001","message_id":"3300","guild_id":"123","channel_id":"2200","emoji":{"name":"👍","id":null}}
            """).IsIgnored);
    }

    [Fact]
    public void MessageInAThread_IsAThreadMessage_NamedByNickname()
    {
        var e = Event<ThreadMessagePosted>("MESSAGE_CREATE", """
            {"type":0,"id":"3400","channel_id":"7701","guild_id":"4000","content":"Called them, demo on Friday","position":3,
             "author":{"id":"1001","username":"sam.rep","global_name":"Sam"},"member":{"roles":["501"],"nick":"Sam (EMEA)"},
             "mentions":[],"tts":false,"timestamp":"2026-11-22T10:00:00+00:00"}
            """);

        Assert.Equal(new PlaceRef("discord", Workspace, "7701"), e.Thread);
        Assert.Equal(new ChatUser("1001", "Sam (EMEA)", TeamRoles.Sales), e.User);
        Assert.Equal("3400", e.MessageId);
        Assert.Equal("Called them, demo on Friday", e.Text);
    }

    [Fact]
    public void MessageInAChannelKnownAsAThread_IsAThreadMessage()
    {
        Event<ThreadMessagePosted>("MESSAGE_CREATE", """
            {"type":19,"id":"3401","channel_id":"7700","guild_id":"4000","content":"first reply","author":{"id":"1001","username":"sam.rep"},"member":{"roles":[]}}
            """);
    }

    [Fact]
    public void PlainMessageInAChannel_IsIgnored()
    {
        Assert.True(Translate("MESSAGE_CREATE", """
            {"type":0,"id":"3402","channel_id":"2200","guild_id":"4000","content":"morning all","author":{"id":"1001","username":"sam.rep"},"member":{"roles":[]}}
            """).IsIgnored);
    }

    [Fact]
    public void DirectMessage_FromAKnownUser_IsADirectMessageInTheirGuildsWorkspace()
    {
        var e = Event<DirectMessagePosted>("MESSAGE_CREATE", """
            {"type":0,"id":"3500","channel_id":"8800","content":"remind me tomorrow","author":{"id":"1001","username":"sam.rep","global_name":null},"mentions":[]}
            """);

        Assert.Equal(new PlaceRef("discord", Workspace, "8800"), e.Place);
        Assert.Equal(new ChatUser("1001", "sam.rep", null), e.User);
    }

    [Fact]
    public void DirectMessage_FromSomeoneInNoServedGuild_IsIgnored()
    {
        Assert.True(Translate("MESSAGE_CREATE", """
            {"type":0,"id":"3501","channel_id":"8801","content":"hi","author":{"id":"1002","username":"stranger"}}
            """).IsIgnored);
    }

    [Theory]
    [InlineData("""{"type":0,"id":"1","channel_id":"7701","guild_id":"4000","content":"/help","author":{"id":"55","username":"other-bot","bot":true},"position":1}""")]
    [InlineData("""{"type":0,"id":"2","channel_id":"7701","guild_id":"4000","content":"new lead","webhook_id":"66","author":{"id":"66","username":"Zapier"},"position":1}""")]
    [InlineData("""{"type":18,"id":"3","channel_id":"7701","guild_id":"4000","content":"Lead #4","author":{"id":"1001","username":"sam.rep"},"position":0}""")]
    public void MessagesFromBotsWebhooksOrTheSystem_AreIgnored(string json)
    {
        Assert.True(Translate("MESSAGE_CREATE", json).IsIgnored);
    }

    [Fact]
    public void TypedCommand_AndNativeSlashCommand_GiveTheSameCommand()
    {
        var typed = Event<CommandInvoked>("MESSAGE_CREATE", """
            {"type":0,"id":"3600","channel_id":"2200","guild_id":"4000","content":"/leads claim lead:4",
             "author":{"id":"1001","username":"sam.rep","global_name":"Sam"},"member":{"roles":["501"]}}
            """);
        var native = Event<CommandInvoked>("INTERACTION_CREATE", """
            {"id":"5500","application_id":"9000","type":2,"token":"tok","version":1,"guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1001","username":"sam.rep","global_name":"Sam"},"roles":["501"],"permissions":"2248473465835073"},
             "data":{"id":"6600","name":"leads","type":1,"options":[{"name":"claim","type":1,"options":[{"name":"lead","type":3,"value":"4"}]}]}}
            """);

        foreach (var e in new[] { typed, native })
        {
            Assert.Equal(new PlaceRef("discord", Workspace, "2200"), e.Place);
            Assert.Equal(new ChatUser("1001", "Sam", TeamRoles.Sales), e.User);
            Assert.Equal(("leads", "claim", "/leads claim lead:4"), (e.Command.Name, e.Command.Subcommand, e.Command.Text));
            Assert.Equal([new KeyValuePair<string, string>("lead", "4")], e.Command.Options);
        }
    }

    [Fact]
    public void NativeCommand_TakesLowercasedOptionNamesAsTheCatalogSpellsThem_AndNumbersAsText()
    {
        var e = Event<CommandInvoked>("INTERACTION_CREATE", """
            {"id":"5501","application_id":"9000","type":2,"token":"tok","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1003","username":"mia"},"roles":["502"],"permissions":"0"},
             "data":{"name":"leads","type":1,"options":[{"name":"handoff","type":1,"options":[
               {"name":"email","type":3,"value":"jane@acme.com"},{"name":"firstname","type":3,"value":"Jane"},{"name":"score","type":4,"value":80},
               {"name":"reason","type":3,"value":"Asked for a demo"}]}]}}
            """);

        Assert.Equal("Jane", e.Command.Option("firstName"));
        Assert.Equal("80", e.Command.Option("score"));
        Assert.Equal("/leads handoff email:jane@acme.com firstName:Jane score:80 reason:\"Asked for a demo\"", e.Command.Text);
        Assert.Equal(TeamRoles.Marketing, e.User.Roles);
    }

    [Fact]
    public void NativeCommand_WithoutSubcommand_TakesItsOptionsDirectly()
    {
        var e = Event<CommandInvoked>("INTERACTION_CREATE", """
            {"id":"5502","application_id":"9000","type":2,"token":"tok","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1001","username":"sam.rep"},"roles":[],"permissions":"0"},
             "data":{"name":"away","type":1,"options":[{"name":"until","type":3,"value":"2026-12-02"}]}}
            """);

        Assert.Equal(("away", null, "2026-12-02"), (e.Command.Name, e.Command.Subcommand, e.Command.Option("until")));
    }

    [Fact]
    public void TypedCommandThatDoesNotParse_IsAPrivateReplyInThePlace()
    {
        var result = Translate("MESSAGE_CREATE", """
            {"type":0,"id":"3601","channel_id":"2200","guild_id":"4000","content":"/leads clam lead:4","author":{"id":"1001","username":"sam.rep"},"member":{"roles":[]}}
            """);

        Assert.Null(result.Event);
        Assert.Equal(new PlaceRef("discord", Workspace, "2200"), result.Place);
        Assert.Equal(ReplyVisibility.Private, result.Reply!.Visibility);
        Assert.Contains("has no 'clam' subcommand", result.Reply.Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GuildAdministrator_ByPermissionBit_IsAdmin()
    {
        var e = Event<CommandInvoked>("INTERACTION_CREATE", """
            {"id":"5503","application_id":"9000","type":2,"token":"tok","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1004","username":"owner"},"roles":["501"],"permissions":"8"},
             "data":{"name":"help","type":1}}
            """);

        Assert.Equal(TeamRoles.Sales | TeamRoles.Admin, e.User.Roles);
    }

    [Fact]
    public void ClaimButtonOnAHandoff_IsTheHandoffsClaimAction()
    {
        var card = new ChatCard
        {
            Title = "Lead #4",
            Actions = [new CardAction(HandoffCards.ClaimAction, "Claim", ActionStyle.Primary), new CardAction(HandoffCards.RateAction, "Good", Value: "good")],
        };
        var customId = DiscordCards.ToBody(new OutgoingMessage(Card: card)).Components![0].Components![0].CustomId;

        var e = Event<CardActionInvoked>("INTERACTION_CREATE", $$$"""
            {"id":"5600","application_id":"9000","type":3,"token":"tok","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1001","username":"sam.rep","global_name":"Sam"},"roles":["501"],"permissions":"0"},
             "message":{"id":"3300","channel_id":"2200","content":"","author":{"id":"9000","username":"TeamBot","bot":true}},
             "data":{"custom_id":"{{{customId}}}","component_type":2}}
            """);

        Assert.Equal(new MessageRef("discord", Workspace, "2200", "3300"), e.Message);
        Assert.Equal((HandoffCards.ClaimAction, (string?)null), (e.ActionId, e.Value));
        Assert.Equal(new ChatUser("1001", "Sam", TeamRoles.Sales), e.User);
    }

    [Fact]
    public void SelectOnACard_GivesThePickedOptionAsTheValue()
    {
        var e = Event<CardActionInvoked>("INTERACTION_CREATE", """
            {"id":"5601","application_id":"9000","type":3,"token":"tok","guild_id":"4000","channel_id":"7701",
             "member":{"user":{"id":"1001","username":"sam.rep"},"roles":[],"permissions":"0"},
             "message":{"id":"3301","channel_id":"7701"},
             "data":{"custom_id":"reason","component_type":3,"values":["no-budget"]}}
            """);

        Assert.Equal(("reason", "no-budget"), (e.ActionId, e.Value));
    }

    [Fact]
    public void NativeCommandInADirectMessage_BelongsToTheUsersGuild_AndLeavesRolesAlone()
    {
        var e = Event<CommandInvoked>("INTERACTION_CREATE", """
            {"id":"5700","application_id":"9000","type":2,"token":"tok","channel_id":"8800","context":1,
             "user":{"id":"1001","username":"sam.rep","global_name":"Sam"},
             "data":{"name":"leads","type":1,"options":[{"name":"show","type":1,"options":[{"name":"lead","type":3,"value":"4"}]}]}}
            """);

        Assert.Equal(new PlaceRef("discord", Workspace, "8800"), e.Place);
        Assert.Equal(new ChatUser("1001", "Sam", null), e.User);
    }

    [Fact]
    public void NativeCommandWithAnOptionTheCatalogLacks_IsAPrivateReply()
    {
        var result = Translate("INTERACTION_CREATE", """
            {"id":"5701","application_id":"9000","type":2,"token":"tok","guild_id":"4000","channel_id":"2200",
             "member":{"user":{"id":"1001","username":"sam.rep"},"roles":[],"permissions":"0"},
             "data":{"name":"leads","type":1,"options":[{"name":"claim","type":1,"options":[{"name":"priority","type":3,"value":"high"}]}]}}
            """);

        Assert.Null(result.Event);
        Assert.Contains("has no option 'priority'", result.Reply!.Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PingAutocompleteAndModalInteractions_AreLeftToTheCaller()
    {
        foreach (var type in new[] { 1, 4, 5 })
        {
            Assert.True(Translate("INTERACTION_CREATE", $$"""{"id":"1","application_id":"9000","type":{{type}},"token":"tok","guild_id":"4000","channel_id":"2200"}""").IsIgnored);
        }
    }

    [Fact]
    public void AnEditedAnswer_InAThreadOrADm_IsAnEdit_ButAnEditedCommandOrChannelMessageIsNot()
    {
        var inThread = Event<MessageEdited>("MESSAGE_UPDATE", """
            {"id":"31","channel_id":"7700","guild_id":"4000","author":{"id":"1001","username":"sam"},"content":"Blocked on pricing","type":0,"member":{"roles":["501"]}}
            """);
        Assert.Equal(("7700", "31", "Blocked on pricing"), (inThread.Place.Id, inThread.MessageId, inThread.Text));
        Assert.IsType<MessageEdited>(Translate("MESSAGE_UPDATE", """{"id":"32","channel_id":"8800","author":{"id":"1001","username":"sam"},"content":"later","type":0}""").Event);

        Assert.True(Translate("MESSAGE_UPDATE", """{"id":"33","channel_id":"7700","guild_id":"4000","author":{"id":"1001","username":"sam"},"content":"/leads claim lead:4","type":0}""").IsIgnored);
        Assert.True(Translate("MESSAGE_UPDATE", """{"id":"34","channel_id":"2200","guild_id":"4000","author":{"id":"1001","username":"sam"},"content":"hello","type":0}""").IsIgnored);
        // An update without an author (a link preview appearing) is not someone's edit.
        Assert.True(Translate("MESSAGE_UPDATE", """{"id":"35","channel_id":"7700","guild_id":"4000","embeds":[]}""").IsIgnored);
    }

    [Fact]
    public void AControlThatAsksForText_OpensAModal_AndItsSubmitIsTheActionWithTheText()
    {
        const string click = """
            {"id":"61","token":"t","type":3,"application_id":"9","guild_id":"4000","channel_id":"2200","message":{"id":"3300"},
             "member":{"user":{"id":"1001","username":"sam"},"roles":["501"],"permissions":"0"},
             "data":{"custom_id":"outcome","component_type":3,"values":["won!Amount won (e.g. 12000)"]}}
            """;
        var modal = Translate("INTERACTION_CREATE", click).Modal;
        Assert.NotNull(modal);
        Assert.Equal("outcome^won!Amount won (e.g. 12000)", modal.CustomId);
        Assert.Equal("Won", modal.Title);
        var input = Assert.Single(Assert.Single(modal.Components).Components);
        Assert.Equal(("Amount won (e.g. 12000)", true), (input.Label, input.Required));

        var submit = Event<CardActionInvoked>("INTERACTION_CREATE", """
            {"id":"62","token":"t","type":5,"application_id":"9","guild_id":"4000","channel_id":"2200","message":{"id":"3300"},
             "member":{"user":{"id":"1001","username":"sam"},"roles":["501"],"permissions":"0"},
             "data":{"custom_id":"outcome^won!Amount won (e.g. 12000)","components":[{"type":1,"components":[{"type":4,"custom_id":"text","value":" 12000 "}]}]}}
            """);
        Assert.Equal(new MessageRef("discord", Workspace, "2200", "3300"), submit.Message);
        Assert.Equal(("outcome", "won:12000"), (submit.ActionId, submit.Value));

        // Required text left empty is refused with a reply, not acted on.
        var empty = Translate("INTERACTION_CREATE", """
            {"id":"63","token":"t","type":5,"application_id":"9","guild_id":"4000","channel_id":"2200","message":{"id":"3300"},
             "member":{"user":{"id":"1001","username":"sam"},"roles":["501"],"permissions":"0"},
             "data":{"custom_id":"outcome^won!Amount","components":[{"type":18,"component":{"type":4,"custom_id":"text","value":"  "}}]}}
            """);
        Assert.Null(empty.Event);
        Assert.Equal(ReplyVisibility.Private, empty.Reply!.Visibility);
    }

    [Fact]
    public void ADmInAChannelAWorkspaceOpened_BelongsToThatWorkspace_WhereverTheUserWasSeenLast()
    {
        var inbound = new DiscordInbound(new DiscordInboundSettings(
            Bot, DiscordInboundSettings.DefaultWorkspaceId, _ => 5000, _ => null, GuildOfChannel: channel => channel == 8800 ? Guild : null));
        using var doc = JsonDocument.Parse("""{"id":"41","channel_id":"8800","author":{"id":"1001","username":"sam"},"content":"Blocked on pricing","type":0}""");
        var answer = Assert.IsType<DirectMessagePosted>(inbound.Translate(GatewayEventDecoder.Decode("MESSAGE_CREATE", doc.RootElement)!).Event);
        Assert.Equal(Workspace, answer.Place.Workspace);

        using var other = JsonDocument.Parse("""{"id":"42","channel_id":"8801","author":{"id":"1001","username":"sam"},"content":"hi","type":0}""");
        Assert.Equal("discord-5000", inbound.Translate(GatewayEventDecoder.Decode("MESSAGE_CREATE", other.RootElement)!).Event!.Place.Workspace);
    }
}
