using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// Which workspace each DM channel belongs to, kept in Core's <see cref="IChatAddressStore"/> as well as in memory, so that it
/// outlives a restart. A person has one DM channel with the bot whatever the server; it belongs to the workspace that last
/// wrote in it (a stand-up's questions, a private reply). Without this, a process serving several servers forgot after a
/// restart whose DMs those were, and ignored the answers until the person was seen in a server again.
/// </summary>
public sealed class DiscordDirects(IServiceScopeFactory scopes, DiscordGuilds guilds)
{
    /// <summary>The guild each DM channel was last saved for in this process: a DM sent again for the same one writes nothing.</summary>
    private readonly ConcurrentDictionary<ulong, ulong> _saved = new();

    /// <summary>TeamBot opened (or reopened) the DM channel with a user for a guild's workspace.</summary>
    public async Task OpenedAsync(ulong channelId, ulong userId, ulong guildId, CancellationToken cancellationToken)
    {
        guilds.DirectOpened(channelId, userId, guildId);
        if (_saved.TryGetValue(channelId, out var saved) && saved == guildId) return;
        await using var scope = scopes.CreateAsyncScope();
        var place = new PlaceRef(DiscordChatPlatform.Platform, DiscordGuilds.WorkspaceOf(guildId), channelId.ToString(CultureInfo.InvariantCulture));
        await scope.ServiceProvider.GetRequiredService<IChatAddressStore>()
            .SaveAsync(place, userId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        _saved[channelId] = guildId;
    }

    /// <summary>
    /// Before a DM is translated: when this process does not know its workspace (no server named it, the person was not
    /// seen in one), the one that last wrote in the channel, as stored.
    /// </summary>
    public async Task RecallAsync(ulong channelId, ulong userId, CancellationToken cancellationToken)
    {
        if (guilds.GuildOfChannel(channelId) is not null || guilds.GuildOfUser(userId) is not null) return;
        await using var scope = scopes.CreateAsyncScope();
        var workspace = await scope.ServiceProvider.GetRequiredService<IChatAddressStore>()
            .FindWorkspaceAsync(DiscordChatPlatform.Platform, channelId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (workspace is null || DiscordGuilds.GuildOf(workspace) is not { } guild) return;
        guilds.DirectOpened(channelId, userId, guild);
        _saved[channelId] = guild;
    }
}
