using TeamBot.Core;

namespace TeamBot.Chat.Discord.Tests;

public sealed class DiscordGuildsTests
{
    private static DiscordGuilds Guilds() => new(new DiscordOptions
    {
        Token = "t",
        Guilds = { ["11"] = new DiscordGuildOptions { Roles = new DiscordRoleOptions { Sales = "21, <@&22>", Admin = "23" } } },
    });

    [Fact]
    public void RoleMap_IsTheConfiguredRolesPlusTheStoredOnes_AndAnOlderReadNeverReplacesANewerOne()
    {
        var guilds = Guilds();
        Assert.Equal(new Dictionary<ulong, TeamRoles> { [21] = TeamRoles.Sales, [22] = TeamRoles.Sales, [23] = TeamRoles.Admin }, guilds.RoleMapOf(11));

        guilds.SetStoredRoles(11, new Dictionary<string, TeamRoles> { ["21"] = TeamRoles.Admin, ["31"] = TeamRoles.Marketing }, version: 2);
        Assert.Equal(TeamRoles.Sales | TeamRoles.Admin, guilds.RoleMapOf(11)![21]);
        Assert.Equal(TeamRoles.Marketing, guilds.RoleMapOf(11)![31]);

        // A load that started before change 2 finishes late: it is dropped.
        guilds.SetStoredRoles(11, new Dictionary<string, TeamRoles>(), version: 1);
        Assert.Equal(TeamRoles.Marketing, guilds.RoleMapOf(11)![31]);
        Assert.Null(guilds.RoleMapOf(99));
    }

    [Fact]
    public void ADm_BelongsToTheWorkspaceThatOpenedIt_AndWithOneGuildKnown_ToThatGuild()
    {
        var guilds = Guilds();
        Assert.Equal(11UL, guilds.GuildOfUser(500));
        guilds.GuildAvailable(12, "Other", []);
        Assert.Null(guilds.GuildOfUser(500));

        guilds.DirectOpened(channelId: 900, userId: 500, guildId: 12);
        guilds.UserSeen(500, 11);
        Assert.Equal(12UL, guilds.GuildOfChannel(900));
        Assert.Equal(11UL, guilds.GuildOfUser(500));
        Assert.Equal(("discord-12", (ulong?)12), (DiscordGuilds.WorkspaceOf(12), DiscordGuilds.GuildOf("discord-12")));
        Assert.Null(DiscordGuilds.GuildOf("local"));
    }
}
