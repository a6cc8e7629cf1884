using System.Text.Json;
using System.Text.Json.Nodes;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Cards;
using TeamBot.Core;
using TeamBot.Core.Chat;
using static TeamBot.Chat.BotFramework.Tests.TeamsPayloads;

namespace TeamBot.Chat.BotFramework.Tests.Cards;

public sealed class AdaptiveCardsTests
{
    private static readonly BotFrameworkInbound Inbound = new(new BotFrameworkInboundSettings(
        a => BotFrameworkInboundSettings.TeamsWorkspaceId(a), _ => TeamRoles.Sales, Bot));

    /// <summary>A handoff card as Core builds it: claim, five ratings, an outcome choice whose options ask for text, a link.</summary>
    private static readonly ChatCard Lead = new()
    {
        Title = "Jane Doe · Acme",
        Subtitle = "Head of IT",
        Text = "Why qualified: asked for a demo",
        Url = "https://crm.example.com/leads/42",
        UrlLabel = "Open in source",
        Color = CardColor.Accent,
        Fields = [new("Source", "webinar"), new("Segment", "enterprise"), new("Status", "Unclaimed", Inline: false)],
        Actions =
        [
            new("claim", "Claim", ActionStyle.Primary),
            new("rate", "Great", ActionStyle.Success, "1"),
            new("rate", "Good", Value: "2"),
            new("rate", "Meh", Value: "3"),
            new("rate", "Poor", Value: "4"),
            new("rate", "Reject", ActionStyle.Danger, "5"),
        ],
        Choices =
        [
            new("outcome", "Record an outcome…",
            [
                new("Contacted", "contacted"),
                new("Won", "won", "With the amount won", new CardInput("Amount won (e.g. 12000)", Required: true)),
                new("Lost", "lost", "With a reason", new CardInput("Why was it lost?", Required: false)),
            ]),
        ],
        Footer = "Lead #42 · via webhook",
    };

    private static IEnumerable<JsonObject> All(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o) foreach (var inner in All(child)) yield return inner;
                break;
            case JsonArray a:
                foreach (var child in a) foreach (var inner in All(child)) yield return inner;
                break;
        }
    }

    private static IEnumerable<JsonObject> OfType(JsonNode card, string type) => All(card).Where(o => (string?)o["type"] == type);

    private static List<string> Texts(JsonNode card) =>
        All(card).Where(o => o["type"]?.GetValue<string>() is "TextRun" or "TextBlock").Select(o => o["text"]!.GetValue<string>()).ToList();

    private static JsonObject Execute(JsonNode card, string verb, string? value) =>
        OfType(card, "Action.Execute").Single(a => (string?)a["verb"] == verb && (string?)a["data"]?["value"] == value);

    /// <summary>The invoke Teams sends when <paramref name="action"/> is clicked: its verb and data, plus the inputs merged in.</summary>
    private static ActivityTranslation Click(JsonObject action, string? typed = null)
    {
        var data = action["data"]!.DeepClone().AsObject();
        if (typed is not null) data[AdaptiveCards.InputId] = typed;
        Assert.True(Activity.TryParse(CardAction(action["verb"]!.GetValue<string>(), data.ToJsonString()), out var activity, out var error), error);
        return Inbound.Translate(activity);
    }

    /// <summary>The legacy Action.Submit fallback: a message with the submit data as value and no text.</summary>
    private static ActivityTranslation Submit(JsonObject fallback, string? typed = null)
    {
        var data = fallback["data"]!.DeepClone().AsObject();
        if (typed is not null) data[AdaptiveCards.InputId] = typed;
        var json = Message("", ThreadId, valueJson: data.ToJsonString())
            .Replace("\"id\": \"1763630400000\"", "\"id\": \"1763630400000\", \"replyToId\": \"1763630000000\"", StringComparison.Ordinal);
        Assert.True(Activity.TryParse(json, out var activity, out var error), error);
        return Inbound.Translate(activity);
    }

    [Fact]
    public void Render_IsAnAdaptiveCard15ForTeams_WithFullWidth()
    {
        var card = AdaptiveCards.Render(Lead);

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal(AdaptiveCards.Schema, (string?)card["$schema"]);
        Assert.Equal("Full", (string?)card["msteams"]!["width"]);
    }

    [Fact]
    public void Render_ShowsTitleSubtitleTextFieldsAndFooter_InOrder()
    {
        var texts = Texts(AdaptiveCards.Render(Lead));

        Assert.Equal(["Jane Doe · Acme", "Head of IT", "Why qualified: asked for a demo", "Source", "webinar", "Segment", "enterprise", "Status", "Unclaimed",
            "Record an outcome…", "Lead #42 · via webhook"], texts);
    }

    [Fact]
    public void Render_TheColor_IsTheHeaderContainersStyle_AndTheTitleLinksToTheUrl()
    {
        var card = AdaptiveCards.Render(Lead with { Color = CardColor.Danger });
        var header = OfType(card, "Container").First(c => c["style"] is not null);

        Assert.Equal("attention", (string?)header["style"]);
        var title = OfType(header, "TextRun").First();
        Assert.Equal(("Bolder", "https://crm.example.com/leads/42"), ((string?)title["weight"], (string?)title["selectAction"]!["url"]));
        Assert.Equal("good", AdaptiveCards.StyleOf(CardColor.Good));
        Assert.Equal("warning", AdaptiveCards.StyleOf(CardColor.Warning));
        Assert.Null(AdaptiveCards.StyleOf(CardColor.Neutral));
    }

    [Fact]
    public void Render_EveryActionIsExecuteWithTheIdAsVerbAndTheValueAsData_AndASubmitFallbackCarryingBoth()
    {
        var card = AdaptiveCards.Render(Lead);

        foreach (var execute in OfType(card, "Action.Execute"))
        {
            var fallback = execute["fallback"]!.AsObject();
            Assert.Equal("Action.Submit", (string?)fallback["type"]);
            Assert.Equal((string?)execute["verb"], (string?)fallback["data"]!["verb"]);
            Assert.Equal((string?)execute["data"]!["value"], (string?)fallback["data"]!["value"]);
            Assert.Equal((string?)execute["title"], (string?)fallback["title"]);
        }
        var claim = Execute(card, "claim", null);
        Assert.Equal("{}", claim["data"]!.ToJsonString());
        Assert.Equal("positive", (string?)Execute(card, "rate", "1")["style"]);
        Assert.Equal("destructive", (string?)Execute(card, "rate", "5")["style"]);
        Assert.Null(Execute(card, "rate", "2")["style"]);
    }

    [Fact]
    public void Render_MoreThanSixActions_ShowsFiveAndPutsTheRestUnderMore()
    {
        var actions = AdaptiveCards.Render(Lead)["actions"]!.AsArray();

        Assert.Equal(6, actions.Count);
        Assert.Equal(["Claim", "Great", "Good", "Meh", "Poor", "More…"], actions.Select(a => (string?)a!["title"]));
        var more = actions[5]!;
        Assert.Equal("Action.ShowCard", (string?)more["type"]);
        var rest = OfType(more["card"]!, "ActionSet").SelectMany(s => s["actions"]!.AsArray()).Select(a => ((string?)a!["type"], (string?)a["title"]));
        Assert.Equal([("Action.Execute", "Reject"), ("Action.OpenUrl", "Open in source")], rest);
    }

    [Fact]
    public void Render_SixActionsOrFewer_AreAllOnTheCard()
    {
        var actions = AdaptiveCards.Render(Lead with { Url = null })["actions"]!.AsArray();

        Assert.Equal(6, actions.Count);
        Assert.DoesNotContain(actions, a => (string?)a!["type"] == "Action.ShowCard");
    }

    [Fact]
    public void Render_AChoice_IsARowOfOptionButtons_AndOptionsThatAskForTextRevealATextBoxNamedInput()
    {
        var card = AdaptiveCards.Render(Lead);

        Assert.Equal("Contacted", (string?)Execute(card, "outcome", "contacted")["title"]);
        var won = OfType(card, "Action.ShowCard").Single(a => (string?)a["title"] == "Won");
        Assert.Equal("With the amount won", (string?)won["tooltip"]);
        var box = Assert.Single(OfType(won["card"]!, "Input.Text"));
        Assert.Equal(("input", "Amount won (e.g. 12000)", true), ((string?)box["id"], (string?)box["label"], (bool)box["isRequired"]!));
        var send = Assert.Single(OfType(won["card"]!, "Action.Execute"));
        Assert.Equal(("outcome", "won"), ((string?)send["verb"], (string?)send["data"]!["value"]));

        var lost = OfType(card, "Action.ShowCard").Single(a => (string?)a["title"] == "Lost");
        Assert.False((bool)OfType(lost["card"]!, "Input.Text").Single()["isRequired"]!);
    }

    [Fact]
    public void Render_TheMainCardHoldsNoInput_SoNoTextBoxIsMergedIntoAnotherButtonsData()
    {
        var card = AdaptiveCards.Render(Lead);
        var main = card.DeepClone().AsObject();
        foreach (var show in OfType(main, "Action.ShowCard").ToList()) show.Remove("card");

        Assert.DoesNotContain(All(main), o => ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true);
        Assert.Equal(2, OfType(card, "Input.Text").Count());
    }

    [Fact]
    public void Render_AnActionThatAsksForText_IsAShowCardWithTheTextBoxAndTheExecuteButton()
    {
        var card = AdaptiveCards.Render(new ChatCard { Title = "t", Actions = [new("note", "Add a note", Value: "n1", Input: new CardInput("Your note", Required: true))] });

        var show = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal(("Action.ShowCard", "Add a note"), ((string?)show["type"], (string?)show["title"]));
        Assert.Equal("input", (string?)OfType(show["card"]!, "Input.Text").Single()["id"]);
        Assert.Equal("note", (string?)OfType(show["card"]!, "Action.Execute").Single()["verb"]);
    }

    [Theory]
    [InlineData("claim", null, null, null)]
    [InlineData("rate", "4", null, "4")]
    [InlineData("outcome", "contacted", null, "contacted")]
    [InlineData("outcome", "won", "12000", "won:12000")]
    [InlineData("outcome", "lost", "  went with a competitor: cheaper ", "lost:went with a competitor: cheaper")]
    public void Clicking_ARenderedButton_ReachesCoreAsTheActionIdAndValue(string verb, string? value, string? typed, string? expected)
    {
        var action = Execute(AdaptiveCards.Render(Lead), verb, value);

        var e = Assert.IsType<CardActionInvoked>(Assert.Single(Click(action, typed).Events));

        Assert.Equal((verb, expected), (e.ActionId, e.Value));
        Assert.Equal(new MessageRef("teams", "teams-" + Team, Channel, "1763630000000"), e.Message);
    }

    [Theory]
    [InlineData("rate", "5", null, "5")]
    [InlineData("outcome", "won", "9000", "won:9000")]
    public void Submitting_TheFallback_ReachesCoreTheSameWay(string verb, string value, string? typed, string expected)
    {
        var fallback = Execute(AdaptiveCards.Render(Lead), verb, value)["fallback"]!.AsObject();

        var e = Assert.IsType<CardActionInvoked>(Assert.Single(Submit(fallback, typed).Events));

        Assert.Equal((verb, expected), (e.ActionId, e.Value));
    }

    [Theory]
    [InlineData("**bold**")]
    [InlineData("[x](http://evil)")]
    [InlineData("# heading")]
    [InlineData("1. list")]
    [InlineData("- item\n_italic_")]
    public void Render_DataThatLooksLikeMarkdown_IsOnlyInTextRunsWhichShowItAsTyped(string data)
    {
        var card = AdaptiveCards.Render(new ChatCard
        {
            Title = data,
            Subtitle = data,
            Text = data,
            Footer = data,
            Fields = [new(data, data)],
            Choices = [new("c", data, [new(data, "v")])],
        }, note: data);

        Assert.Empty(OfType(card, "TextBlock"));
        Assert.Empty(OfType(card, "FactSet"));
        Assert.Equal(8, OfType(card, "TextRun").Count(r => (string?)r["text"] == data));
        Assert.Equal(data, (string?)OfType(card, "Action.Execute").Single()["title"]);
    }

    [Fact]
    public void Render_DataThatLooksLikeAMention_NeverFormsAnAtFragment()
    {
        var card = AdaptiveCards.Render(new ChatCard { Title = "<at>Boss</at>", Text = "ping <AT>Sam Rivera</At>", Fields = [new("<at>", "</at>")] },
            [new Mention(Sam, "Sam Rivera")]);

        var json = card.ToJsonString();
        Assert.Single(OfType(card, "TextBlock"));
        Assert.Equal("<\u200Bat>Boss<\u200B/at>", (string?)OfType(card, "TextRun").First()["text"]);
        Assert.Equal(2, CountOf(card.ToJsonString(Readable), "<at>"));
        Assert.DoesNotContain("Boss", (string?)OfType(card, "TextBlock").Single()["text"], StringComparison.Ordinal);
        Assert.NotEmpty(json);
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int CountOf(string text, string fragment)
    {
        var count = 0;
        for (var at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public void Render_Notify_PutsOneAtFragmentPerPersonInATextBlock_AndAnEntityWhoseTextMatchesItExactly()
    {
        var card = AdaptiveCards.Render(Lead, [new Mention(Sam, "Sam Rivera"), new Mention("29:1pat", "Pat <Lee>"), new Mention(Sam, "Sam again")]);

        var block = OfType(card, "TextBlock").Single();
        Assert.Equal("<at>Sam Rivera</at> <at>Pat Lee</at>", (string?)block["text"]);
        var entities = card["msteams"]!["entities"]!.AsArray();
        Assert.Equal(2, entities.Count);
        foreach (var entity in entities)
        {
            Assert.Equal("mention", (string?)entity!["type"]);
            Assert.Contains((string)entity["text"]!, (string)block["text"]!, StringComparison.Ordinal);
        }
        Assert.Equal((Sam, "Sam Rivera", "<at>Sam Rivera</at>"), ((string?)entities[0]!["mentioned"]!["id"], (string?)entities[0]!["mentioned"]!["name"], (string?)entities[0]!["text"]));
        Assert.Equal("29:1pat", (string?)entities[1]!["mentioned"]!["id"]);
    }

    [Fact]
    public void Render_WithoutNotify_HasNoMentionEntities()
    {
        Assert.Null(AdaptiveCards.Render(Lead)["msteams"]!["entities"]);
    }

    [Fact]
    public void Render_ANote_IsTheFirstThingOnTheCard()
    {
        var card = AdaptiveCards.Render(Lead, note: "You claimed this lead");

        Assert.Equal("You claimed this lead", Texts(card)[0]);
    }

    [Fact]
    public void Render_AHugeCard_StaysWithinTheSizeBudget_AndKeepsItsTitle()
    {
        var huge = new string('x', 50_000);
        var card = AdaptiveCards.Render(new ChatCard
        {
            Title = huge,
            Subtitle = huge,
            Text = huge,
            Footer = huge,
            Url = "https://example.com/" + huge,
            Fields = Enumerable.Range(0, 60).Select(i => new CardField("Field " + i + huge, huge)).ToList(),
            Actions = Enumerable.Range(0, 40).Select(i => new CardAction("a" + i, huge, Value: "v" + i, Input: new CardInput(huge, true))).ToList(),
            Choices = Enumerable.Range(0, 8).Select(c => new CardChoice("c" + c, huge,
                Enumerable.Range(0, 40).Select(o => new ChoiceOption(huge, "o" + o, huge, new CardInput(huge, false))).ToList())).ToList(),
        }, Enumerable.Range(0, 100).Select(i => new Mention("29:" + i, huge)).ToList(), huge);

        Assert.InRange(AdaptiveCards.SerializedLength(card), 1, AdaptiveCards.SizeBudget);
        var title = OfType(card, "TextRun").Select(r => (string)r["text"]!).First(t => t.StartsWith("xxx", StringComparison.Ordinal));
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.All(All(card).Where(o => o["title"] is JsonValue), a => Assert.True(((string)a["title"]!).Length <= AdaptiveCards.MaxLabel));
    }

    [Fact]
    public void Render_ManyLongFields_DropsFieldsFromTheEndBeforeActions()
    {
        var card = AdaptiveCards.Render(Lead with { Fields = Enumerable.Range(0, 20).Select(i => new CardField("F" + i, new string('y', 900))).ToList() });

        Assert.InRange(AdaptiveCards.SerializedLength(card), 1, AdaptiveCards.SizeBudget);
        Assert.Contains("F0", Texts(card));
        Assert.NotNull(Execute(card, "claim", null));
        Assert.NotNull(Execute(card, "rate", "5"));
    }

    [Fact]
    public void Render_NonAsciiData_IsMeasuredAsTheConnectorWritesIt()
    {
        var card = AdaptiveCards.Render(new ChatCard { Title = "Ünïcødé", Text = new string('é', 20_000) });

        Assert.InRange(AdaptiveCards.SerializedLength(card), 1, AdaptiveCards.SizeBudget);
    }

    [Fact]
    public void Render_ALinkThatIsNotHttp_IsLeftOut()
    {
        var card = AdaptiveCards.Render(new ChatCard { Title = "t", Url = "javascript:alert(1)", UrlLabel = "Open" });

        Assert.Empty(OfType(card, "Action.OpenUrl"));
        Assert.Null(card["actions"]);
    }
}
