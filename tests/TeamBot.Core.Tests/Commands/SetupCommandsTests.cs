using TeamBot.Core.Commands;

namespace TeamBot.Core.Tests.Commands;

/// <summary>/setup's input: what the catalog declares for the platforms, and how channel and role values are read.</summary>
public class SetupCommandsTests
{
    [Fact]
    public void Catalog_DeclaresEverySetupSubcommand_AdminOnlyButShow_WithNamesAndTextsEveryPlatformTakes()
    {
        var specs = CommandCatalog.Named("setup");

        Assert.Equal(["show", "handoffs", "marketing", "general", "roles", "key"], specs.Select(s => s.Subcommand));
        Assert.Equal(TeamRoles.None, specs.Single(s => s.Subcommand == "show").AllowedRoles);
        Assert.All(specs.Where(s => s.Subcommand != "show"), s => Assert.Equal(TeamRoles.Admin, s.AllowedRoles));
        Assert.All(specs, s =>
        {
            Assert.InRange(s.Description.Length, 1, 100);
            Assert.All(s.Options, o => Assert.Equal(o.Name.ToLowerInvariant(), o.Name));
            Assert.All(s.Options, o => Assert.InRange(o.Description.Length, 1, 100));
        });
    }

    [Fact]
    public void Parse_RolesWithMentionsAndNone_KeepsEachValueForTheCommand()
    {
        Assert.True(CommandParser.TryParse("/setup roles sales:<@&111>,<@&222> marketing:none admin:\"333 <@&444>\"", out var command, out var error), error);

        Assert.Equal(("setup", "roles"), (command.Name, command.Subcommand));
        Assert.Equal("<@&111>,<@&222>", command.Option("sales"));
        Assert.Equal("none", command.Option("marketing"));
        Assert.Equal("333 <@&444>", command.Option("admin"));
    }

    [Theory]
    [InlineData("<#123456789012345678>", "123456789012345678")]
    [InlineData(" 123456789012345678 ", "123456789012345678")]
    [InlineData("handoffs", "handoffs")]
    public void Channel_AsAMentionOrARawId_IsThePlatformId(string text, string expected)
    {
        Assert.True(SetupCommands.TryChannel(text, out var id, out var error), error);
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("<@&123>", "'<@&123>' mentions a person or a role, not a channel.")]
    [InlineData("<@123>", "'<@123>' mentions a person or a role, not a channel.")]
    [InlineData("#leads", "'#leads' is a channel's name, not its id: mention the channel (type # and pick it) or give its id.")]
    [InlineData("lead channel", "'lead channel' is not a channel id: give one id, without spaces, of at most 100 characters.")]
    [InlineData("<#12", "'<#12' is not a channel id: give one id, without spaces, of at most 100 characters.")]
    [InlineData("", "give a channel id or mention the channel, or leave channel: out to use this one.")]
    public void Channel_ThatIsNoChannelId_IsRefusedSayingWhy(string text, string expected)
    {
        Assert.False(SetupCommands.TryChannel(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("<@&111>,<@&222>", new[] { "111", "222" })]
    [InlineData("<@&111> 222, <@&111>", new[] { "111", "222" })]
    [InlineData("none", new string[0])]
    [InlineData("NONE", new string[0])]
    [InlineData("", new string[0])]
    public void RoleIds_AsMentionsOrRawIds_CommaOrSpaceSeparated_AreDistinctIds(string text, string[] expected)
    {
        Assert.True(SetupCommands.TryRoleIds(text, out var ids, out var error), error);
        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("<@111>", "'<@111>' mentions a channel or a person, not a role.")]
    [InlineData("<#111>", "'<#111>' mentions a channel or a person, not a role.")]
    [InlineData("111,none", "none clears the role, so give it alone.")]
    [InlineData("<@&11", "'<@&11' is not a role id or a role mention like <@&123>.")]
    public void RoleIds_ThatAreNoRoles_AreRefusedSayingWhy(string text, string expected)
    {
        Assert.False(SetupCommands.TryRoleIds(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RoleIds_MoreThanTwentyFive_AreRefused()
    {
        Assert.False(SetupCommands.TryRoleIds(string.Join(",", Enumerable.Range(1, 26)), out _, out var error));
        Assert.Equal("at most 25 roles, not 26.", error);
    }

    [Fact]
    public void WebhookPath_IsTheLeadsEndpointOfTheWorkspace() =>
        Assert.Equal("/api/v1/workspaces/discord-123/leads", SetupCommands.WebhookPath("discord-123"));
}
