using TeamBot.Core.Chat;

namespace TeamBot.Core.Tests.Chat;

public class MessageLimitsTests
{
    [Fact]
    public void Fit_CutsEveryPartToItsLimit_AndSaysSoWithAnEllipsis()
    {
        var limits = new MessageLimits(Text: 10, Title: 5, Subtitle: 5, FieldName: 4, FieldValue: 6, Fields: 2, Footer: 8, Actions: 1, Label: 3, Choices: 1, Options: 1);
        var card = new ChatCard
        {
            Title = "A very long title",
            Text = "0123456789abc",
            Fields = [new CardField("Company", "Acme Corporation"), new CardField("b", "c"), new CardField("dropped", "x")],
            Actions = [new CardAction("claim", "Claim"), new CardAction("rate", "Great")],
            Choices = [new CardChoice("outcome", "Pick", [new ChoiceOption("Won", "won"), new ChoiceOption("Lost", "lost")]), new CardChoice("x", "y", [])],
        };

        var fitted = limits.Fit(new OutgoingMessage("hello there, world", card));

        Assert.Equal("hello the…", fitted.Text);
        Assert.Equal("A ve…", fitted.Card!.Title);
        Assert.Equal("012345678…", fitted.Card.Text);
        Assert.Equal([("Com…", "Acme …"), ("b", "c")], fitted.Card.Fields.Select(f => (f.Name, f.Value)));
        Assert.Equal("Cl…", Assert.Single(fitted.Card.Actions).Label);
        Assert.Single(Assert.Single(fitted.Card.Choices).Options);
    }

    [Fact]
    public void Cut_NeverSplitsAnEmojiInTwo()
    {
        Assert.Equal("ab…", MessageLimits.Cut("ab🔥🔥🔥", 4));
        Assert.Equal("short", MessageLimits.Cut("short", 10));
        Assert.Null(MessageLimits.Cut(null, 3));
    }
}
