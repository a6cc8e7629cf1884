using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// Which workspace each DM channel belongs to, kept in Core's <see cref="IChatAddressStore"/> as well as in memory, so that it
/// outlives a restart. A person has one DM channel with the bot whatever the server; it belongs to the workspace that last
/// wrote in it (a stand-up's questions, a private reply). Without this, a process serving several servers forgot after a
/// restart whose DMs those were: it ignored the answers until the person was seen in a server, and then took that server's.
/// </summary>
public sealed partial class DiscordDirects(IServiceScopeFactory scopes, DiscordGuilds guilds, ILogger<DiscordDirects> logger)
{
    /// <summary>The guild each DM channel was last saved for in this process: a DM sent again for the same one writes nothing.</summary>
    private readonly ConcurrentDictionary<ulong, ulong> _saved = new();

    /// <summary>DM channels looked up in the store and not found there: not looked up again until TeamBot opens them.</summary>
    private readonly ConcurrentDictionary<ulong, byte> _unknown = new();

    /// <summary>
    /// TeamBot opened (or reopened) the DM channel with a user for a guild's workspace. Storing that is best effort: if the
    /// database cannot take it, the DM still goes out, and the log says so.
    /// </summary>
    public async Task OpenedAsync(ulong channelId, ulong userId, ulong guildId, CancellationToken cancellationToken)
    {
        guilds.DirectOpened(channelId, userId, guildId);
        _unknown.TryRemove(channelId, out _);
        if (_saved.TryGetValue(channelId, out var saved) && saved == guildId) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var place = new PlaceRef(DiscordChatPlatform.Platform, DiscordGuilds.WorkspaceOf(guildId), channelId.ToString(CultureInfo.InvariantCulture));
            await scope.ServiceProvider.GetRequiredService<IChatAddressStore>()
                .SaveAsync(place, userId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            _saved[channelId] = guildId;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSaveFailed(logger, ex, channelId, guildId);
        }
    }

    /// <summary>
    /// Before a DM is translated: when this process does not know which workspace opened the channel, the one that last wrote
    /// in it, as stored. That comes before where the person was last seen, as it does while the process runs.
    /// </summary>
    public async Task RecallAsync(ulong channelId, ulong userId, CancellationToken cancellationToken)
    {
        if (guilds.GuildOfChannel(channelId) is not null || _unknown.ContainsKey(channelId)) return;
        await using var scope = scopes.CreateAsyncScope();
        var workspace = await scope.ServiceProvider.GetRequiredService<IChatAddressStore>()
            .FindWorkspaceAsync(DiscordChatPlatform.Platform, channelId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (workspace is null || DiscordGuilds.GuildOf(workspace) is not { } guild)
        {
            _unknown[channelId] = 0;
            return;
        }
        guilds.DirectOpened(channelId, userId, guild);
        _saved[channelId] = guild;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not store that DM channel {ChannelId} belongs to server {GuildId}; after a restart its messages go to where the person was last seen")]
    private static partial void LogSaveFailed(ILogger logger, Exception error, ulong channelId, ulong guildId);
}
