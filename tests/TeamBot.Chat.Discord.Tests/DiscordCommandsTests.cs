using System.Text.Json;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Chat.Discord.Tests;

public sealed class DiscordCommandsTests
{
    [Fact]
    public void Registration_HasEveryCatalogCommand_WithItsOptions_AndMeetsDiscordsRules()
    {
        var commands = DiscordCommands.Registration();

        Assert.Empty(DiscordCommands.Validate(commands));
        Assert.Equal(CommandCatalog.All.Select(s => s.Name).Distinct().Count(), commands.Count);
        foreach (var spec in CommandCatalog.All)
        {
            var command = Assert.Single(commands, c => c.Name == spec.Name);
            var options = command.Options ?? [];
            if (spec.Subcommand is { } sub)
            {
                var subcommand = Assert.Single(options, o => o.Name == sub);
                Assert.Equal(ApplicationCommandOptionType.SubCommand, subcommand.Type);
                options = subcommand.Options ?? [];
            }
            Assert.Equal(spec.Options.Select(o => o.Name.ToLowerInvariant()).Order(), options.Select(o => o.Name).Order());
            Assert.All(options, o => Assert.Equal(ApplicationCommandOptionType.String, o.Type));
            Assert.Equal(options.OrderBy(o => o.Required == true ? 0 : 1), options);
            foreach (var option in spec.Options)
            {
                var registered = Assert.Single(options, o => string.Equals(o.Name, option.Name, StringComparison.OrdinalIgnoreCase));
                Assert.Equal(option.Required, registered.Required == true);
                Assert.Equal(option.Choices ?? [], registered.Choices?.Select(c => c.Value) ?? []);
                Assert.InRange(registered.Description.Length, 1, DiscordCommands.MaxDescription);
            }
        }
    }

    [Fact]
    public void Registration_SerializesAsDiscordExpects()
    {
        var json = JsonSerializer.SerializeToElement(DiscordCommands.Registration(), DiscordJson.Options);

        var leads = json.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "leads");
        Assert.Equal(1, leads.GetProperty("type").GetInt32());
        var rate = leads.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "rate");
        Assert.Equal(1, rate.GetProperty("type").GetInt32());
        var rating = rate.GetProperty("options")[0];
        Assert.Equal(("rating", 3, true), (rating.GetProperty("name").GetString(), rating.GetProperty("type").GetInt32(), rating.GetProperty("required").GetBoolean()));
        Assert.Equal("great", rating.GetProperty("choices")[0].GetProperty("value").GetString());
        Assert.False(rate.GetProperty("options")[1].TryGetProperty("required", out _));
    }

    [Fact]
    public void Registration_CutsLongDescriptions()
    {
        var commands = DiscordCommands.Registration([new CommandSpec("ping", null, new string('x', 150), [new OptionSpec("Target", new string('y', 120))])]);

        Assert.Equal(100, commands[0].Description.Length);
        Assert.Equal(("target", 100), (commands[0].Options![0].Name, commands[0].Options![0].Description.Length));
    }

    [Fact]
    public void Validate_ReportsNamesAndOptionOrderDiscordRefuses()
    {
        var problems = DiscordCommands.Validate(
        [
            new ApplicationCommand("Bad Name", "ok"),
            new ApplicationCommand("ok", new string('d', 101),
            [
                new ApplicationCommandOption(ApplicationCommandOptionType.String, "first", "optional"),
                new ApplicationCommandOption(ApplicationCommandOptionType.String, "second", "required") { Required = true },
            ]),
            new ApplicationCommand(new string('n', 33), "too long a name"),
        ]);

        Assert.Contains(problems, p => p.Contains("'Bad Name'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/ok: the description", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/ok second is required but comes after", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(new string('n', 33), StringComparison.Ordinal));
    }
}

public sealed class DiscordRepliesTests
{
    [Fact]
    public void PrivateReply_IsAnEphemeralChannelMessage_ThatMentionsNobody()
    {
        var response = DiscordReplies.ToCallback(ChatReply.Private("Only @everyone sees *this*"));

        Assert.Equal(InteractionCallbackType.ChannelMessageWithSource, response.Type);
        Assert.Equal(64, response.Data!.Flags);
        Assert.Equal(AllowedMentions.None, response.Data.AllowedMentions);
        Assert.Equal(@"Only \@everyone sees \*this\*", response.Data.Content);
    }

    [Fact]
    public void PublicReply_HasNoFlags_AndACardIsCutToDiscordsLimits()
    {
        var card = new ChatCard { Title = new string('t', 400), Text = new string('x', 5000) };

        var response = DiscordReplies.ToCallback(ChatReply.PublicCard(card));

        var json = JsonSerializer.SerializeToElement(response, DiscordJson.Options);
        Assert.Equal(4, json.GetProperty("type").GetInt32());
        Assert.False(json.GetProperty("data").TryGetProperty("flags", out _));
        Assert.Empty(json.GetProperty("data").GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        Assert.Empty(Messages.MessageLimits.Check(response.Data!));
        Assert.Equal(256, response.Data!.Embeds![0].Title!.Length);
    }
}
