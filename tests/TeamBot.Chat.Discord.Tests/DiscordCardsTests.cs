using TeamBot.Chat.Discord.Messages;
using TeamBot.Core.Chat;
using MessageLimits = TeamBot.Chat.Discord.Messages.MessageLimits;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>Neutral messages rendered as Discord bodies: always within the limits, literal, and pinging only who Core notifies.</summary>
public sealed class DiscordCardsTests
{
    internal static ChatCard HandoffLike() => new()
    {
        Title = "Ada Lovelace · Analytical Engines",
        Subtitle = "CTO",
        Text = "Why qualified: asked for a demo",
        Url = "https://crm.example/leads/1",
        UrlLabel = "Open in source",
        Color = CardColor.Accent,
        Fields = [new CardField("Email", "ada@example.com"), new CardField("Status", "Open", Inline: false)],
        Actions =
        [
            new CardAction("claim", "🙋 Claim", ActionStyle.Primary),
            new CardAction("rate", "🔥 Great", Value: "5"),
            new CardAction("rate", "👍 Good", Value: "4"),
            new CardAction("rate", "🤷 Meh", Value: "3"),
            new CardAction("rate", "👎 Poor", Value: "2"),
            new CardAction("rate", "🚫 Reject", ActionStyle.Danger, "1"),
        ],
        Choices =
        [
            new CardChoice("outcome", "Record an outcome…",
            [
                new ChoiceOption("Contacted", "contacted"),
                new ChoiceOption("Won", "won", "With the amount won", new CardInput("Amount won", Required: true)),
            ]),
        ],
        Footer = "Lead #1 · via webhook",
    };

    [Fact]
    public void HandoffCard_BecomesOneEmbedWithButtonRowsAndASelect()
    {
        var body = DiscordCards.ToBody(new OutgoingMessage(Card: HandoffLike()));

        Assert.Empty(MessageLimits.Check(body));
        var embed = Assert.Single(body.Embeds!);
        Assert.Equal("CTO", embed.Author!.Name);
        Assert.Equal(0x5865F2, embed.Color);
        Assert.Equal("https://crm.example/leads/1", embed.Url);
        Assert.Equal([true, false], embed.Fields!.Select(f => f.Inline));
        Assert.Equal(3, body.Components!.Count);
        Assert.Equal(5, body.Components[0].Components!.Count);
        Assert.Equal(ButtonStyle.Link, body.Components[1].Components![^1].Style);
        var select = Assert.Single(body.Components[2].Components!);
        Assert.Equal(ComponentType.StringSelect, select.Type);
        // "!" marks an option that asks for required text, and carries the prompt (Discord shows at most 45 characters of it).
        Assert.Equal(["contacted", "won!Amount won"], select.Options!.Select(o => o.Value));
    }

    [Fact]
    public void EveryControl_ReadsBackAsItsActionAndValue()
    {
        var body = DiscordCards.ToBody(new OutgoingMessage(Card: HandoffLike()));
        var buttons = body.Components!.SelectMany(r => r.Components!).Where(c => c.Type == ComponentType.Button && c.CustomId is not null).ToList();

        var read = buttons.Select(b => DiscordCards.ParseCustomId(b.CustomId!)).ToList();

        Assert.Equal(
            [new DiscordControl("claim", null, false), new("rate", "5", false), new("rate", "4", false), new("rate", "3", false), new("rate", "2", false), new("rate", "1", false)],
            read);
        Assert.Equal(new DiscordControl("outcome", "won", true, new CardInput("Amount won", Required: true)), DiscordCards.ParseCustomId("outcome", "won!Amount won"));
        Assert.Equal(new DiscordControl("outcome", "lost", true, new CardInput("", Required: false)), DiscordCards.ParseCustomId("outcome", "lost+"));
    }

    [Fact]
    public void APromptWithMarkers_SurvivesTheRoundTrip_AndALongOneIsCutToFit()
    {
        var prompt = "Why? 100% sure | not ~ sure + more! ^";
        var card = new ChatCard
        {
            Title = "t",
            Actions = [new CardAction("note", "Note", Value: "v|1", Input: new CardInput(prompt, Required: true)), new CardAction("long", "Long", Input: new CardInput(new string('%', 200), Required: false))],
        };
        var buttons = DiscordCards.ToBody(new OutgoingMessage(Card: card)).Components!.SelectMany(r => r.Components!).ToList();

        Assert.Equal(new DiscordControl("note", "v|1", true, new CardInput(prompt, Required: true)), DiscordCards.ParseCustomId(buttons[0].CustomId!));
        Assert.All(buttons, b => Assert.InRange(b.CustomId!.Length, 1, MessageLimits.CustomId));
        var cut = DiscordCards.ParseCustomId(buttons[1].CustomId!)!;
        Assert.Equal(("long", false), (cut.ActionId, cut.Input!.Required));
        Assert.All(cut.Input.Prompt, c => Assert.Equal('%', c));
    }

    [Theory]
    [InlineData("a|b", "x~y+z%7C")]
    [InlineData("plain", "")]
    [InlineData("π", "100%")]
    public void CustomId_RoundTripsAnyIdAndValue(string id, string value)
    {
        var card = new ChatCard { Title = "t", Actions = [new CardAction(id, "Go", Value: value), new CardAction(id, "Again", Value: value)] };

        var body = DiscordCards.ToBody(new OutgoingMessage(Card: card));

        var ids = body.Components!.Single().Components!.Select(c => c.CustomId!).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, customId => Assert.Equal(new DiscordControl(id, value, false), DiscordCards.ParseCustomId(customId)));
    }

    [Fact]
    public void DataWithEveryoneAndMarkdown_PingsNobodyAndShowsLiterally()
    {
        var card = HandoffLike() with { Title = "@everyone **free**", Fields = [new CardField("Note", "<@123> [link](https://x.test)")] };

        var body = DiscordCards.ToBody(new OutgoingMessage("@here _hi_ <@&5>", card));

        Assert.Empty(body.AllowedMentions!.Parse);
        Assert.Null(body.AllowedMentions.Users);
        Assert.Equal(@"\@here \_hi\_ \<\@&5\>", body.Content);
        Assert.Equal(@"\@everyone \*\*free\*\*", body.Embeds![0].Title);
        Assert.Equal(@"\<\@123\> \[link\]\(https\://x.test\)", body.Embeds[0].Fields![0].Value);
    }

    [Fact]
    public void Notify_MentionsExactlyThoseUsers()
    {
        var body = DiscordCards.ToBody(new OutgoingMessage("Lead for you", Notify: [new Mention("111", "Ada"), new Mention("222", "Bob"), new Mention("111", "Ada")]));

        Assert.Equal("<@111> <@222> Lead for you", body.Content);
        Assert.Equal(["111", "222"], body.AllowedMentions!.Users!);
        Assert.Empty(body.AllowedMentions.Parse);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Lead for all of you")]
    public void Notify_MoreUsersThanTheContentCanName_NamesAndPingsOnlyThoseThatFit(string? text)
    {
        var notify = Enumerable.Range(1, 120).Select(i => new Mention((1_100_000_000_000_000_000UL + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture), $"User {i}")).ToList();

        var body = DiscordCards.ToBody(new OutgoingMessage(text, Notify: notify));

        Assert.Empty(MessageLimits.Check(body));
        var users = body.AllowedMentions!.Users!;
        Assert.InRange(users.Count, 80, 99);
        Assert.StartsWith(string.Join(' ', users.Select(u => $"<@{u}>")), body.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void ThirtyFieldCard_IsCutToTwentyFiveFieldsAndValidates()
    {
        var card = new ChatCard { Title = "Many", Fields = [.. Enumerable.Range(1, 30).Select(i => new CardField($"F{i}", $"v{i}"))] };

        var body = DiscordCards.ToBody(new OutgoingMessage(Card: card));

        Assert.Equal(25, body.Embeds![0].Fields!.Count);
        Assert.Empty(MessageLimits.Check(body));
    }

    [Fact]
    public void OversizedEverything_IsCutUntilDiscordAcceptsIt()
    {
        var huge = new string('x', 5000);
        var card = new ChatCard
        {
            Title = huge,
            Subtitle = huge,
            Text = huge,
            Footer = huge,
            Url = "https://x.test/" + huge,
            Fields = [.. Enumerable.Range(1, 40).Select(i => new CardField(huge, huge))],
            Actions = [.. Enumerable.Range(1, 40).Select(i => new CardAction("a" + i, huge, Value: i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            Choices = [.. Enumerable.Range(1, 6).Select(c => new CardChoice("c" + c, huge, [.. Enumerable.Range(1, 40).Select(o => new ChoiceOption(huge, "o" + o, huge))]))],
        };
        var body = DiscordCards.ToBody(new OutgoingMessage(huge + "@everyone", card, [new Mention("42", "A")]));

        Assert.Empty(MessageLimits.Check(body));
        Assert.StartsWith("<@42> ", body.Content, StringComparison.Ordinal);
        Assert.Equal(5, body.Components!.Count);
    }

    [Fact]
    public void ControlWhoseNameCannotFit_IsLeftOutRatherThanCut()
    {
        var card = new ChatCard { Title = "t", Actions = [new CardAction("ok", "Ok"), new CardAction("long", "Long", Value: new string('v', 120))] };

        var body = DiscordCards.ToBody(new OutgoingMessage(Card: card));

        Assert.Equal("ok", body.Components!.Single().Components!.Single().CustomId);
    }
}
