using TeamBot.Chat.Discord.Messages;

namespace TeamBot.Chat.Discord.Tests;

public sealed class MessageLimitsTests
{
    private static string S(int length) => new('x', length);

    private static DiscordMessageBody WithEmbed(Embed embed) => new() { Embeds = [embed] };

    private static DiscordMessageBody WithRows(params Component[] rows) => new() { Components = rows };

    private static Component Buttons(int count, string prefix = "b") =>
        Component.Row([.. Enumerable.Range(0, count).Select(i => Component.Button(ButtonStyle.Secondary, "Go", $"{prefix}{i}"))]);

    public static TheoryData<string, DiscordMessageBody> Broken => new()
    {
        { "content", new DiscordMessageBody { Content = S(2001) } },
        { "embeds", new DiscordMessageBody { Embeds = [.. Enumerable.Range(0, 11).Select(_ => new Embed { Title = "t" })] } },
        { "title", WithEmbed(new Embed { Title = S(257) }) },
        { "description", WithEmbed(new Embed { Description = S(4097) }) },
        { "fields", WithEmbed(new Embed { Fields = [.. Enumerable.Range(0, 26).Select(_ => new EmbedField("n", "v"))] }) },
        { "fields[0].name", WithEmbed(new Embed { Fields = [new EmbedField(S(257), "v")] }) },
        { "fields[0].value", WithEmbed(new Embed { Fields = [new EmbedField("n", S(1025))] }) },
        { "footer", WithEmbed(new Embed { Footer = new EmbedFooter(S(2049)) }) },
        { "author", WithEmbed(new Embed { Author = new EmbedAuthor(S(257)) }) },
        { "6000", new DiscordMessageBody { Embeds = [new Embed { Description = S(4000) }, new Embed { Description = S(2001) }] } },
        { "action rows", WithRows([.. Enumerable.Range(0, 6).Select(i => Buttons(1, $"r{i}-"))]) },
        { "buttons", WithRows(Buttons(6)) },
        { "custom_id", WithRows(Component.Row(Component.Button(ButtonStyle.Primary, "Go", S(101)))) },
        { "custom_id", WithRows(Component.Row(Component.Button(ButtonStyle.Primary, "Go", ""))) },
        { "used twice", WithRows(Component.Row(Component.Button(ButtonStyle.Primary, "A", "same"), Component.Button(ButtonStyle.Primary, "B", "same"))) },
        { "label", WithRows(Component.Row(Component.Button(ButtonStyle.Primary, S(81), "x"))) },
        { "url", WithRows(Component.Row(Component.LinkButton("Open", "https://example.com/" + S(500)))) },
        { "select", WithRows(Component.Row(Component.Select("s", null, new SelectOption("a", "a")), Component.Button(ButtonStyle.Primary, "B", "b"))) },
        { "options", WithRows(Component.Row(Component.Select("s", null, [.. Enumerable.Range(0, 26).Select(i => new SelectOption($"o{i}", $"v{i}"))]))) },
        { "options[0].label", WithRows(Component.Row(Component.Select("s", null, new SelectOption(S(101), "v")))) },
        { "options[0].value", WithRows(Component.Row(Component.Select("s", null, new SelectOption("l", S(101))))) },
        { "options[0].description", WithRows(Component.Row(Component.Select("s", null, new SelectOption("l", "v", S(101))))) },
        { "allowed_mentions", new DiscordMessageBody { Content = "hi", AllowedMentions = null } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Check_NamesTheLimitThatIsBroken(string expected, DiscordMessageBody body)
    {
        var problems = MessageLimits.Check(body);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AcceptsAMessageAtEveryLimit()
    {
        var body = new DiscordMessageBody
        {
            Content = S(2000),
            Embeds = [new Embed { Title = S(256), Description = S(4096), Fields = [new EmbedField(S(256), S(1024))], Footer = new EmbedFooter(S(100)), Author = new EmbedAuthor(S(256)) }],
            Components =
            [
                Buttons(5, "a"), Buttons(5, "b"), Buttons(5, "c"), Buttons(4, "d"),
                Component.Row(Component.Select(S(100), "pick", [.. Enumerable.Range(0, 25).Select(i => new SelectOption(S(100), $"{i}", S(100)))])),
            ],
        };

        Assert.Empty(MessageLimits.Check(body));
    }

    [Fact]
    public void AllowedMentions_DefaultSilencesEveryone_AndExplicitUsersAllowOnlyThem()
    {
        Assert.Empty(new DiscordMessageBody().AllowedMentions!.Parse);
        Assert.Null(new DiscordMessageBody().AllowedMentions!.Users);

        var only = AllowedMentions.OnlyUsers([42, 42, 7]);
        Assert.Equal(["42", "7"], only.Users);
        Assert.Empty(only.Parse);
        Assert.Same(AllowedMentions.None, AllowedMentions.OnlyUsers([]));
    }
}
