using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Core;
using TeamBot.Core.Chat;
using static TeamBot.Chat.BotFramework.Tests.TeamsPayloads;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class BotFrameworkInboundTests
{
    private const string Workspace = "teams-" + Team;
    private const string Stranger = "29:1Zz9stranger";

    private static readonly BotFrameworkInbound Inbound = new(new BotFrameworkInboundSettings(
        a => BotFrameworkInboundSettings.TeamsWorkspaceId(a, user => user.Id == Sam ? Team : null),
        new ConfiguredRoles(sales: [SamAad], admins: ["pat@contoso.com"]).Of,
        Bot));

    private static readonly (string, string)[] MentionsBot = [(Bot, "TeamBot")];

    private static ActivityTranslation Translate(string json)
    {
        Assert.True(Activity.TryParse(json, out var activity, out var error), error);
        return Inbound.Translate(activity);
    }

    private static T Event<T>(string json) where T : ChatEvent => Assert.IsType<T>(Assert.Single(Translate(json).Events));

    private static readonly ChatUser SamUser = new(Sam, "Sam Rivera", TeamRoles.Sales);

    [Fact]
    public void ChannelMessage_MentioningTheBotWithACommand_IsTheCommandInTheTeamsWorkspace()
    {
        var e = Event<CommandInvoked>(ChannelMention);

        Assert.Equal(new PlaceRef("teams", Workspace, Channel), e.Place);
        Assert.Equal(SamUser, e.User);
        Assert.Equal(("leads", "quality", "30d"), (e.Command.Name, e.Command.Subcommand, e.Command.Option("period")));
        Assert.Equal("/leads quality period:30d", e.Command.Text);
    }

    [Fact]
    public void ChannelMessage_MentioningTheBotWithoutASlash_IsStillTheCommand()
    {
        var e = Event<CommandInvoked>(Message("<at>TeamBot</at> leads quality by:rep", Channel, mentions: MentionsBot));

        Assert.Equal(("leads", "quality", "rep"), (e.Command.Name, e.Command.Subcommand, e.Command.Option("by")));
        Assert.Equal("/leads quality by:rep", e.Command.Text);
    }

    [Fact]
    public void PersonalChat_ACommandWithoutSlashOrMention_IsTheCommandInTheTeamTheUserWasSeenIn()
    {
        var e = Event<CommandInvoked>(Message("help", Personal, "personal"));

        Assert.Equal(new PlaceRef("teams", Workspace, Personal), e.Place);
        Assert.Equal("help", e.Command.Name);
    }

    [Fact]
    public void PersonalChat_FromSomeoneSeenInNoTeam_BelongsToTheTenant()
    {
        var e = Event<CommandInvoked>(Message("/help", Personal, "personal", from: Stranger));

        Assert.Equal(new PlaceRef("teams", "teams-tenant-" + Tenant, Personal), e.Place);
        Assert.Equal(new ChatUser(Stranger, "Sam Rivera", TeamRoles.Sales), e.User); // the same AAD object id is configured as sales
    }

    [Fact]
    public void ChannelMessage_WithACommandThatDoesNotParse_IsAnsweredPrivatelyWithTheParserError()
    {
        var t = Translate(Message("<at>TeamBot</at> leads quality by:planet", Channel, mentions: MentionsBot));

        Assert.Empty(t.Events);
        Assert.Equal(new PlaceRef("teams", Workspace, Channel), t.Place);
        Assert.Equal(ReplyVisibility.Private, t.Reply!.Visibility);
        Assert.Equal("'planet' is not a choice for by: use source, campaign, segment, rep.", t.Reply.Message.Text);
    }

    [Fact]
    public void ThreadReply_MentioningTheBot_IsAThreadMessageWithoutTheMention()
    {
        var e = Event<ThreadMessagePosted>(Message("<at>TeamBot</at> Called them, they want a demo next week.", ThreadId, mentions: MentionsBot));

        Assert.Equal(new PlaceRef("teams", Workspace, ThreadId), e.Thread);
        Assert.Equal(("1763630400000", "Called them, they want a demo next week."), (e.MessageId, e.Text));
    }

    [Fact]
    public void ThreadReply_StartingWithACommandWordThatDoesNotParse_IsACommentNotAnError()
    {
        var e = Event<ThreadMessagePosted>(Message("<at>TeamBot</at> help me reach them, the number bounced", ThreadId, mentions: MentionsBot));

        Assert.Equal("help me reach them, the number bounced", e.Text);
    }

    [Fact]
    public void ANewPostInAChannel_HappensInTheChannelItself_NotInItsOwnThread()
    {
        // Teams gives a new channel post the conversation id "<channel>;messageid=<its own id>".
        var e = Event<CommandInvoked>(Message("<at>TeamBot</at> setup handoffs", Channel + ";messageid=1763630400000", mentions: MentionsBot));

        Assert.Equal(new PlaceRef("teams", Workspace, Channel), e.Place);
    }

    [Fact]
    public void ThreadReply_WithASlashCommand_IsTheCommandInTheThread()
    {
        var e = Event<CommandInvoked>(Message("<at>TeamBot</at> /leads claim", ThreadId, mentions: MentionsBot));

        Assert.Equal(new PlaceRef("teams", Workspace, ThreadId), e.Place);
        Assert.Equal(("leads", "claim"), (e.Command.Name, e.Command.Subcommand));
    }

    [Fact]
    public void PersonalChat_PlainText_IsADirectMessage()
    {
        var e = Event<DirectMessagePosted>(Message("leads were weak this week, mostly students", Personal, "personal"));

        Assert.Equal(new PlaceRef("teams", Workspace, Personal), e.Place);
        Assert.Equal(SamUser, e.User);
        Assert.Equal("leads were weak this week, mostly students", e.Text);
    }

    [Fact]
    public void ChannelMessage_PlainTextOutsideAThread_IsIgnored()
    {
        Assert.True(Translate(Message("<at>TeamBot</at> good morning", Channel, mentions: MentionsBot)).IsIgnored);
    }

    [Fact]
    public void ChannelMessage_CommandWordWithoutTheBotMentioned_IsIgnored()
    {
        // With RSC the bot hears every channel message; "leads quality was fine" to colleagues is not for it.
        Assert.True(Translate(Message("leads quality was fine", Channel)).IsIgnored);
    }

    [Fact]
    public void Message_WithMentionsAndMarkupFromData_KeepsEverythingButTheBotsOwnMentionLiteral()
    {
        const string text = "<at>TeamBot</at> ask <at>Pat Lee</at> and <at>TeamBot</at> about @everyone <b>now</b> &lt;at&gt;";
        var e = Event<ThreadMessagePosted>(Message(text, ThreadId, mentions: [(Bot, "TeamBot"), ("29:1pat", "Pat Lee")]));

        Assert.Equal("ask <at>Pat Lee</at> and <at>TeamBot</at> about @everyone <b>now</b> &lt;at&gt;", e.Text);
    }

    [Fact]
    public void Message_WhoseMentionEntityNamesSomeoneElseWithTheBotsName_IsNotTreatedAsMentioningTheBot()
    {
        var t = Translate(Message("<at>TeamBot</at> leads quality", Channel, mentions: [("29:1impostor", "TeamBot")]));

        Assert.True(t.IsIgnored);
    }

    [Fact]
    public void Message_FromTheBotItself_OrFromAnyBot_IsIgnored()
    {
        Assert.True(Translate(Message("/help", Personal, "personal", from: Bot)).IsIgnored);
        Assert.True(Translate(Message("/help", Personal, "personal", from: "28:another-bot", fromRole: "bot")).IsIgnored);
    }

    [Fact]
    public void ActionSubmit_AMessageWithValueAndNoText_IsACardAction()
    {
        var json = Message("", ThreadId, valueJson: """{"verb":"rate","value":"good"}""").Replace("\"id\": \"1763630400000\"", "\"id\": \"1763630400000\", \"replyToId\": \"1763630000000\"", StringComparison.Ordinal);

        var e = Event<CardActionInvoked>(json);

        Assert.Equal(new MessageRef("teams", Workspace, Channel, "1763630000000"), e.Message);
        Assert.Equal(("rate", "good"), (e.ActionId, e.Value));
    }

    [Fact]
    public void ReactionAdded_IsAReactionOnTheRepliedToMessageWithTheMappedEmoji()
    {
        var e = Event<ReactionChanged>(Reaction(added: ["like"], removed: []));

        Assert.Equal(new MessageRef("teams", Workspace, Channel, "1763630000000"), e.Message);
        Assert.Equal(new ChatUser(Sam, "", TeamRoles.Sales), e.User);
        Assert.Equal(("👍", true), (e.Emoji, e.Added));
    }

    [Fact]
    public void ReactionRemoved_IsAReactionTakenBack()
    {
        var e = Event<ReactionChanged>(Reaction(added: [], removed: ["angry"]));

        Assert.Equal(("🚫", false), (e.Emoji, e.Added));
    }

    [Fact]
    public void ReactionSwapped_InOneActivity_ReportsTheRemovalFirst()
    {
        var events = Translate(Reaction(added: ["heart"], removed: ["sad"])).Events.Cast<ReactionChanged>().Select(e => (e.Emoji, e.Added));

        Assert.Equal([("👎", false), ("🔥", true)], events);
    }

    [Theory]
    [InlineData("like", "👍")]
    [InlineData("heart", "🔥")]
    [InlineData("laugh", "🤷")]
    [InlineData("surprised", "🤷")]
    [InlineData("sad", "👎")]
    [InlineData("angry", "🚫")]
    [InlineData("1f64b_raisinghand", "1f64b_raisinghand")]
    public void Reaction_TeamsTypes_MapToTheEmojiOfTheDocumentedTable(string type, string emoji)
    {
        Assert.Equal(emoji, Event<ReactionChanged>(Reaction(added: [type], removed: [])).Emoji);
    }

    [Fact]
    public void CardAction_Invoke_IsACardActionWithVerbAndValue()
    {
        var e = Event<CardActionInvoked>(CardAction("rate", """{"value":"great"}"""));

        Assert.Equal(new MessageRef("teams", Workspace, Channel, "1763630000000"), e.Message);
        Assert.Equal(SamUser, e.User);
        Assert.Equal(("rate", "great"), (e.ActionId, e.Value));
    }

    [Fact]
    public void CardAction_Invoke_WithTypedInput_JoinsValueAndInputAsChatInboxSplitsThem()
    {
        var e = Event<CardActionInvoked>(CardAction("outcome", """{"value":"lost","input":"  went with a competitor: cheaper  "}"""));

        Assert.Equal("lost:went with a competitor: cheaper", e.Value);
        Assert.Equal(("lost", "went with a competitor: cheaper"), ChatInbox.SplitValue(e.Value));
    }

    [Fact]
    public void CardAction_Invoke_WithoutData_HasNoValue_AndWithoutVerb_IsIgnored()
    {
        Assert.Null(Event<CardActionInvoked>(CardAction("claim", "null")).Value);
        Assert.True(Translate(CardAction("", """{"value":"great"}""")).IsIgnored);
    }

    [Fact]
    public void ConversationUpdate_TheBotAddedToATeam_IsTheBotJoiningTheTeamsWorkspace()
    {
        var e = Event<MemberChanged>(MembersAdded(Bot));

        Assert.Equal(new PlaceRef("teams", Workspace, Team), e.Place);
        Assert.Equal(new ChatUser(Bot, "TeamBot", IsBot: true), e.User);
        Assert.True(e.Joined);
        Assert.False(Event<MemberChanged>(MembersAdded(Bot, removed: true)).Joined);
    }

    [Fact]
    public void ConversationUpdate_SomeoneElseJoining_IsIgnored()
    {
        Assert.True(Translate(MembersAdded(Stranger)).IsIgnored);
    }

    [Fact]
    public void Activity_OfAnotherChannelOrAnUnhandledType_IsIgnoredByTheTeamsWorkspaceRule()
    {
        Assert.True(Translate(ChannelMention.Replace("\"msteams\"", "\"webchat\"", StringComparison.Ordinal)).IsIgnored);
        Assert.True(Translate(ChannelMention.Replace("\"type\": \"message\"", "\"type\": \"messageUpdate\"", StringComparison.Ordinal)).IsIgnored);
    }

    [Fact]
    public void PlatformOf_IsTeamsForMsTeamsAndTheChannelIdElsewhere()
    {
        Assert.Equal("teams", BotFrameworkInbound.PlatformOf(new Activity { ChannelId = "msteams" }));
        Assert.Equal("slack", BotFrameworkInbound.PlatformOf(new Activity { ChannelId = "slack" }));
    }

    [Fact]
    public void ConfiguredRoles_MatchObjectIdEmailOrUserIdWithoutCase_AndSayNothingForOthers()
    {
        var roles = new ConfiguredRoles(sales: [SamAad.ToUpperInvariant()], marketing: ["mia@contoso.com"], admins: [SamAad, " 29:1pat "]);

        Assert.Equal(TeamRoles.Sales | TeamRoles.Admin, roles.Of(new ChannelAccount(Sam, AadObjectId: SamAad)));
        Assert.Equal(TeamRoles.Marketing, roles.Of(new ChannelAccount("29:1mia", UserPrincipalName: "Mia@Contoso.com")));
        Assert.Equal(TeamRoles.Admin, roles.Of(new ChannelAccount("29:1pat")));
        Assert.Null(roles.Of(new ChannelAccount(Stranger, AadObjectId: "00000000-0000-4000-8000-000000000000")));
    }
}
