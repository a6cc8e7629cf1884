using System.Net;
using System.Text.Json.Nodes;
using TeamBot.Chat.BotFramework.Cards;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework.Tests.Cards;

public sealed class TeamsMessagesTests
{
    private static readonly ChatCard Card = new() { Title = "Lead #42", Actions = [new("claim", "Claim")] };

    /// <summary>What a client shows for an escaped text: HTML character references decoded, line breaks as newlines.</summary>
    private static string Shown(string text) => WebUtility.HtmlDecode(text.Replace("<br>", "\n", StringComparison.Ordinal));

    [Fact]
    public void Build_ACardMessage_IsOneActivityWithTheCardAsItsOnlyAttachment_AndTheTextInsideTheCard()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage("New lead for **you**", Card)));

        Assert.Null(activity.Text);
        var attachment = Assert.Single(activity.Attachments!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        var card = attachment.Content!.AsObject();
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Contains("New lead for **you**", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ACardMessageWithNotify_KeepsTheMentionEntitiesInTheCard()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage(Card: Card, Notify: [new Mention("29:1sam", "Sam")])));

        Assert.Null(activity.Entities);
        var entity = activity.Attachments![0].Content!["msteams"]!["entities"]![0]!;
        Assert.Equal("<at>Sam</at>", (string?)entity["text"]);
    }

    [Fact]
    public void Build_AText_IsOneXmlMessage()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage("Lead #42 was claimed by Sam.")));

        Assert.Equal(("message", "xml", null), (activity.Type, activity.TextFormat, activity.Attachments));
        Assert.Equal("Lead #42 was claimed by Sam.", Shown(activity.Text!));
    }

    [Theory]
    [InlineData("**bold**", "&#42;&#42;bold&#42;&#42;")]
    [InlineData("[x](http://evil)", "&#91;x&#93;(http://evil)")]
    [InlineData("<at>Boss</at>", "&lt;at&gt;Boss&lt;/at&gt;")]
    [InlineData("# heading", "&#35; heading")]
    [InlineData("1. list", "1&#46; list")]
    [InlineData("- item", "&#45; item")]
    [InlineData("a & b <b>c</b>", "a &amp; b &lt;b&gt;c&lt;/b&gt;")]
    [InlineData("_x_ ~y~ `z` | \\", "&#95;x&#95; &#126;y&#126; &#96;z&#96; &#124; &#92;")]
    [InlineData("line one\r\nline two", "line one<br>line two")]
    public void Escape_MakesMarkupLiteral_AndEveryCharacterShowsAsTyped(string data, string escaped)
    {
        Assert.Equal(escaped, TeamsMessages.Escape(data));
        Assert.Equal(data.Replace("\r\n", "\n", StringComparison.Ordinal), Shown(escaped));
    }

    [Fact]
    public void Escape_LeavesNoRawMarkupCharacters()
    {
        var escaped = TeamsMessages.Escape("*_~`#[]|-+<>\\ 3. 4) \n");

        Assert.DoesNotContain(escaped.Replace("<br>", "", StringComparison.Ordinal), c => c is '*' or '_' or '~' or '`' or '[' or ']' or '|' or '-' or '+' or '<' or '>' or '\\');
    }

    [Fact]
    public void Build_Notify_OpensTheTextWithAtFragments_AndEachEntityTextMatchesAFragmentExactly()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage("please call *today*",
            Notify: [new Mention("29:1sam", "Sam_R"), new Mention("29:1pat", "Pat <Lee>")])));

        Assert.StartsWith("<at>Sam&#95;R</at> <at>Pat Lee</at> please call &#42;today&#42;", activity.Text, StringComparison.Ordinal);
        Assert.Equal(2, activity.Entities!.Count);
        foreach (var entity in activity.Entities)
        {
            Assert.Equal("mention", (string?)entity["type"]);
            Assert.Contains((string)entity["text"]!, activity.Text!, StringComparison.Ordinal);
        }
        Assert.Equal(("29:1sam", "Sam_R"), ((string?)activity.Entities[0]["mentioned"]!["id"], (string?)activity.Entities[0]["mentioned"]!["name"]));
    }

    [Fact]
    public void Build_TextThatLooksLikeAMention_IsNoMention()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage("<at>Boss</at> approved")));

        Assert.Null(activity.Entities);
        Assert.DoesNotContain("<at>", activity.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ALongText_IsSplitAtLineBreaksIntoActivitiesWithinTheBudget_HoldingAllOfIt()
    {
        var lines = Enumerable.Range(0, 400).Select(i => $"Line {i}: lead *{i}* from [webinar] & more").ToList();
        var text = string.Join("\n", lines);

        var activities = TeamsMessages.Build(new OutgoingMessage(text, Notify: [new Mention("29:1sam", "Sam")]));

        Assert.True(activities.Count > 1);
        Assert.All(activities, a => Assert.InRange(a.Text!.Length, 1, TeamsMessages.TextBudget));
        Assert.All(activities, a => Assert.False(a.Text!.StartsWith("<br>", StringComparison.Ordinal) || a.Text.EndsWith("<br>", StringComparison.Ordinal)));
        Assert.NotNull(activities[0].Entities);
        Assert.All(activities.Skip(1), a => Assert.Null(a.Entities));
        var shown = string.Join("\n", activities.Select(a => Shown(a.Text!)));
        Assert.Equal("@Sam " + text, shown.Replace("<at>Sam</at>", "@Sam", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AVeryLongLine_IsSplitBetweenWords_NeverInsideAnEscapeOrASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("*a* 😀 & ", 3000));

        var activities = TeamsMessages.Build(new OutgoingMessage(text));

        Assert.True(activities.Count > 1);
        foreach (var activity in activities)
        {
            var part = activity.Text!;
            Assert.InRange(part.Length, 1, TeamsMessages.TextBudget);
            Assert.False(char.IsHighSurrogate(part[^1]));
            Assert.False(char.IsLowSurrogate(part[0]));
            var amp = part.LastIndexOf('&');
            Assert.True(amp < 0 || part.IndexOf(';', amp) > amp, "an escape was cut");
        }
        Assert.Equal(text.TrimEnd(), string.Join(" ", activities.Select(a => Shown(a.Text!))));
    }

    [Fact]
    public void Build_AMessageWithNothing_SendsNothing()
    {
        Assert.Empty(TeamsMessages.Build(new OutgoingMessage()));
    }

    [Fact]
    public void Update_ALongText_IsOneActivityCutWithAnEllipsis()
    {
        var activity = TeamsMessages.Update(new OutgoingMessage(string.Concat(Enumerable.Repeat("&*", 10_000))));

        Assert.InRange(activity.Text!.Length, 1, TeamsMessages.TextBudget);
        Assert.EndsWith(";…", activity.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ACard_IsTheCardAlone()
    {
        var activity = TeamsMessages.Update(new OutgoingMessage("note", Card));

        Assert.Null(activity.Text);
        Assert.Equal(AdaptiveCards.ContentType, Assert.Single(activity.Attachments!).ContentType);
    }

    [Fact]
    public void InvokeResponses_HaveTheUniversalActionShapes()
    {
        var card = AdaptiveCards.Render(Card, note: "You claimed this lead");
        var cardResponse = TeamsMessages.InvokeCardResponse(card);
        Assert.Equal(200, (int)cardResponse["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)cardResponse["type"]);
        Assert.Equal("AdaptiveCard", (string?)cardResponse["value"]!["type"]);
        Assert.Equal("AdaptiveCard", (string?)TeamsMessages.InvokeCardResponse(card)["value"]!["type"]); // a card already used is copied

        Assert.Equal("""{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Claimed."}""",
            TeamsMessages.InvokeMessageResponse("Claimed.").ToJsonString());
        Assert.Equal("""{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"Unknown action."}}""",
            TeamsMessages.InvokeErrorResponse(400, "BadRequest", "Unknown action.").ToJsonString());
    }

    [Fact]
    public void Build_TheActivityJson_HasTextFormatAndEntitiesAsTheConnectorSendsThem()
    {
        var activity = Assert.Single(TeamsMessages.Build(new OutgoingMessage("hi", Notify: [new Mention("29:1sam", "Sam")])));

        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(activity, Connector.ConnectorJson.Options))!;
        Assert.Equal("xml", (string?)json["textFormat"]);
        Assert.Equal("<at>Sam</at> hi", (string?)json["text"]);
        Assert.Equal("<at>Sam</at>", (string?)json["entities"]![0]!["text"]);
    }
}
