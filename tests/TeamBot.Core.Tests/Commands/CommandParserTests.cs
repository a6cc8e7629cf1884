using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Core.Tests.Commands;

public class CommandParserTests
{
    private static ChatCommand Parse(string text)
    {
        Assert.True(CommandParser.TryParse(text, out var command, out var error), $"Expected '{text}' to parse, got: {error}");
        Assert.Equal("", error);
        return command;
    }

    private static string Fail(string text)
    {
        Assert.False(CommandParser.TryParse(text, out _, out var error), $"Expected '{text}' to be refused.");
        Assert.NotEmpty(error);
        return error;
    }

    [Fact]
    public void TryParse_WhenSubcommandAndOptions_ReturnsThemAll()
    {
        var command = Parse("/leads quality period:30d by:source");

        Assert.Equal("leads", command.Name);
        Assert.Equal("quality", command.Subcommand);
        Assert.Equal("/leads quality", command.FullName);
        Assert.Equal("30d", command.Option("period"));
        Assert.Equal("source", command.Option("by"));
        Assert.Equal(2, command.Options.Count);
    }

    [Fact]
    public void TryParse_WhenCommandAndSubcommandInCapitals_ReturnsThemInLowerCase()
    {
        var command = Parse("  /LEADS Claim lead:42  ");

        Assert.Equal("leads", command.Name);
        Assert.Equal("claim", command.Subcommand);
        Assert.Equal("42", command.Option("lead"));
        Assert.Equal("/LEADS Claim lead:42", command.Text);
    }

    [Fact]
    public void TryParse_WhenValueInStraightQuotes_KeepsTheSpaces()
    {
        var command = Parse("/reasons add code:sqls label:\"SQLs this quarter\"");

        Assert.Equal("SQLs this quarter", command.Option("label"));
        Assert.Equal("sqls", command.Option("code"));
    }

    [Fact]
    public void TryParse_WhenValueInCurlyQuotes_KeepsTheSpaces()
    {
        var command = Parse("/leads reason lead:7 reason:other note:“two words”");

        Assert.Equal("two words", command.Option("note"));
        Assert.Equal("other", command.Option("reason"));
    }

    [Fact]
    public void TryParse_WhenCurlyQuoteClosedByStraightQuote_AcceptsIt()
    {
        var command = Parse("/leads reason lead:7 reason:other note:“typed on a phone\" ");

        Assert.Equal("typed on a phone", command.Option("note"));
    }

    [Fact]
    public void TryParse_WhenValueInSingleQuotes_KeepsTheSpaces()
    {
        var command = Parse("/reasons add code:no-budget label:'No budget'");

        Assert.Equal("No budget", command.Option("label"));
    }

    [Fact]
    public void TryParse_WhenQuotedValueHoldsAColon_KeepsItWhole()
    {
        var command = Parse("/leads handoff email:jane@acme.com reason:\"Asked: price for 50 seats\"");

        Assert.Equal("Asked: price for 50 seats", command.Option("reason"));
    }

    [Fact]
    public void TryParse_WhenOptionNameInOtherCase_UsesTheCatalogName()
    {
        var command = Parse("/leads handoff EMAIL:jane@acme.com firstname:Jane COMPANYSIZE:51-200");

        Assert.Equal(["companySize", "email", "firstName"], command.Options.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Jane", command.Options["firstName"]);
        Assert.Equal("51-200", command.Options["companySize"]);
    }

    [Fact]
    public void TryParse_WhenHelpWithoutSubcommand_ReturnsHelp()
    {
        var command = Parse("/help");

        Assert.Equal("help", command.Name);
        Assert.Null(command.Subcommand);
        Assert.Empty(command.Options);
    }

    [Fact]
    public void TryParse_WhenChoiceInOtherCase_AcceptsIt()
    {
        var command = Parse("/leads quality by:Rep");

        Assert.Equal("Rep", command.Option("by"));
    }

    [Fact]
    public void TryParse_WhenNoSlash_ExplainsThatCommandsStartWithOne()
    {
        var error = Fail("leads quality");

        Assert.Contains("slash", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenOnlyASlash_AsksForACommand()
    {
        var error = Fail("/   ");

        Assert.Contains("Type a command after the slash", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenUnknownCommand_NamesItAndPointsToHelp()
    {
        var error = Fail("/pizza order size:large");

        Assert.Equal("There is no /pizza command. Try /help.", error);
    }

    [Fact]
    public void TryParse_WhenCommandNameHasAValue_SaysItIsNotACommandName()
    {
        var error = Fail("/leads:quality");

        Assert.Contains("'leads:quality' is not a command name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenUnknownSubcommand_ListsTheSubcommands()
    {
        var error = Fail("/leads fly lead:1");

        Assert.StartsWith("/leads has no 'fly' subcommand.", error, StringComparison.Ordinal);
        foreach (var sub in new[] { "quality", "handoff", "claim", "release", "rate", "reason", "outcome", "why", "show", "assign" })
        {
            Assert.Contains(sub, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryParse_WhenSubcommandMissing_ListsSubcommandsWithAnExample()
    {
        var error = Fail("/reasons");

        Assert.Contains("/reasons needs a subcommand: list, add, remove", error, StringComparison.Ordinal);
        Assert.Contains("Example: /reasons", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenOptionGivenInPlaceOfSubcommand_AsksForASubcommand()
    {
        var error = Fail("/leads period:30d");

        Assert.StartsWith("/leads needs a subcommand:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenUnknownOption_ListsTheOptions()
    {
        var error = Fail("/leads quality period:7d colour:blue");

        Assert.Equal("/leads quality has no option 'colour'. It takes period, by.", error);
    }

    [Fact]
    public void TryParse_WhenBareWordWhereOptionExpected_ShowsTheOptionFormat()
    {
        var error = Fail("/leads quality 30d");

        Assert.StartsWith("'30d' is not an option. Options look like name:value;", error, StringComparison.Ordinal);
        Assert.Contains("/leads quality takes period, by", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenHelpGetsAWord_SaysHelpTakesNoOptions()
    {
        var error = Fail("/help me");

        Assert.Contains("/help takes no options", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenOptionGivenTwiceInDifferentCase_RefusesIt()
    {
        var error = Fail("/leads quality period:7d Period:30d");

        Assert.Equal("The option 'period' is given twice.", error);
    }

    [Fact]
    public void TryParse_WhenValueNotAmongChoices_ListsTheChoices()
    {
        var error = Fail("/leads quality by:colour");

        Assert.Equal("'colour' is not a choice for by: use source, campaign, segment, rep.", error);
    }

    [Fact]
    public void TryParse_WhenRequiredOptionMissing_NamesItAndGivesAnExample()
    {
        var error = Fail("/leads rate lead:42");

        Assert.Equal("/leads rate needs rating:. Example: /leads rate lead:42 rating:good", error);
    }

    [Fact]
    public void TryParse_WhenSeveralRequiredOptionsMissing_NamesThemAll()
    {
        var error = Fail("/reasons add");

        Assert.StartsWith("/reasons add needs code: and label:.", error, StringComparison.Ordinal);
        Assert.Contains("Example: /reasons add code:no-budget", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reasons add code:x label:\"No budget")]
    [InlineData("/leads reason lead:7 reason:other note:“two words")]
    public void TryParse_WhenQuoteNeverClosed_SaysWhereItStarts(string text)
    {
        var error = Fail(text);

        Assert.StartsWith("The quote that starts at", error, StringComparison.Ordinal);
        Assert.Contains("is never closed", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/help", true)]
    [InlineData("   /leads claim", true)]
    [InlineData("hello /help", false)]
    [InlineData("", false)]
    public void LooksLikeCommand_WhenTextStartsWithSlash_ReturnsTrue(string text, bool expected)
    {
        Assert.Equal(expected, CommandParser.LooksLikeCommand(text));
    }

    [Theory]
    [InlineData("/reasons add code: label:\"No budget\"")]
    [InlineData("/reasons add code:no-budget label:\"\"")]
    [InlineData("/reasons add code:no-budget label:\"   \"")]
    public void TryParse_WhenARequiredOptionIsEmpty_SaysItIsNeeded(string text)
    {
        var error = Fail(text);

        Assert.StartsWith("/reasons add needs ", error, StringComparison.Ordinal);
        Assert.Contains("Example: /reasons add code:no-budget", error, StringComparison.Ordinal);
    }
}
