using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using static TeamBot.Chat.Discord.DiscordPermissions;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>Discord's permission arithmetic for the bot in one channel, case by case as Discord documents it.</summary>
public sealed class DiscordPermissionsTests
{
    private const ulong Guild = 7, Owner = 70, Bot = 80, BotRole = 81, OtherRole = 82, Everyone = Guild;
    private const int Role = 0, Member = 1;

    /// <summary>What a server's @everyone role usually has: reading and writing, reactions, threads.</summary>
    private const ulong Usual = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory | AddReactions | CreatePublicThreads | SendMessagesInThreads;

    private static GuildRoles Roles(ulong everyone, ulong botRole = 0, ulong other = 0) =>
        new(Guild, Owner, new Dictionary<ulong, ulong> { [Everyone] = everyone, [BotRole] = botRole, [OtherRole] = other });

    private static IReadOnlyList<string> Missing(GuildRoles roles, ulong[] botRoles, ChannelUse use, params PermissionOverwrite[] overwrites) =>
        DiscordPermissions.Missing(InChannel(roles, Bot, botRoles, overwrites), use);

    [Fact]
    public void ServerDefaults_WithoutOverwrites_LackNothing()
    {
        Assert.Empty(Missing(Roles(Usual), [BotRole], ChannelUse.Handoffs));
    }

    [Fact]
    public void TheBotsRole_AddsToEveryone()
    {
        // @everyone may only read; the bot's role gives the rest.
        Assert.Empty(Missing(Roles(ViewChannel | ReadMessageHistory, botRole: Usual), [BotRole], ChannelUse.Handoffs));
        Assert.Equal(["Send Messages", "Embed Links", "Add Reactions", "Create Public Threads", "Send Messages in Threads"],
            Missing(Roles(ViewChannel | ReadMessageHistory), [BotRole], ChannelUse.Handoffs));
    }

    [Fact]
    public void EveryonesOverwrite_Denies_AndTheBotsRoleOverwrite_AllowsAgain_AndTheBotsOwnOverwrite_Wins()
    {
        var everyoneDenies = new PermissionOverwrite(Everyone, Role, 0, EmbedLinks | CreatePublicThreads);
        Assert.Equal(["Embed Links", "Create Public Threads"], Missing(Roles(Usual), [BotRole], ChannelUse.Handoffs, everyoneDenies));

        var roleAllows = new PermissionOverwrite(BotRole, Role, EmbedLinks | CreatePublicThreads, 0);
        Assert.Empty(Missing(Roles(Usual), [BotRole], ChannelUse.Handoffs, everyoneDenies, roleAllows));

        var ownDenies = new PermissionOverwrite(Bot, Member, 0, SendMessages);
        Assert.Equal(["Send Messages"], Missing(Roles(Usual), [BotRole], ChannelUse.Handoffs, everyoneDenies, roleAllows, ownDenies));
    }

    [Fact]
    public void RoleOverwrites_AllowWinsOverAnotherRolesDeny()
    {
        var denies = new PermissionOverwrite(OtherRole, Role, 0, AddReactions);
        var allows = new PermissionOverwrite(BotRole, Role, AddReactions, 0);
        Assert.Empty(Missing(Roles(Usual), [BotRole, OtherRole], ChannelUse.Handoffs, denies, allows));
        Assert.Equal(["Add Reactions"], Missing(Roles(Usual), [BotRole, OtherRole], ChannelUse.Handoffs, denies));
    }

    [Fact]
    public void OverwritesOfRolesAndMembersTheBotIsNot_DoNotCount()
    {
        var otherRoleDenies = new PermissionOverwrite(OtherRole, Role, 0, Usual);
        var someoneElseDenied = new PermissionOverwrite(Bot + 1, Member, 0, Usual);
        Assert.Empty(Missing(Roles(Usual), [BotRole], ChannelUse.Handoffs, otherRoleDenies, someoneElseDenied));
    }

    [Fact]
    public void TheOwner_AndAdministrators_LackNothing_WhateverTheOverwrites()
    {
        var hidden = new PermissionOverwrite(Everyone, Role, 0, Usual);
        Assert.Equal(ulong.MaxValue, InChannel(Roles(0), Owner, [], [hidden]));
        Assert.Empty(Missing(Roles(0, botRole: Administrator), [BotRole], ChannelUse.Handoffs, hidden, new PermissionOverwrite(Bot, Member, 0, Usual)));
    }

    [Fact]
    public void EachUse_AsksOnlyForWhatItDoes()
    {
        // Text posts only: no embeds, reactions, history or threads needed for marketing notices; stand-ups in general open threads.
        var postsOnly = Roles(ViewChannel | SendMessages);
        Assert.Empty(Missing(postsOnly, [], ChannelUse.Marketing));
        Assert.Equal(["Create Public Threads", "Send Messages in Threads"], Missing(postsOnly, [], ChannelUse.General));
        Assert.Equal(["Embed Links", "Read Message History", "Add Reactions", "Create Public Threads", "Send Messages in Threads"], Missing(postsOnly, [], ChannelUse.Handoffs));
        Assert.Equal(309237730368UL, Used);
    }
}
