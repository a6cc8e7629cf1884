using Microsoft.Extensions.Logging;
using TeamBot.Core.Workspaces;

namespace TeamBot.Chat.Discord;

/// <summary>
/// Makes each guild a workspace: <c>discord-&lt;guildId&gt;</c>, named after the guild, with the channels, time zone and
/// webhook key from <c>Discord:Guilds:&lt;guildId&gt;</c> where configured and what <c>/setup</c> stored otherwise.
/// </summary>
public sealed partial class DiscordWorkspaces(
    DiscordOptions options, DiscordGuilds guilds, IWorkspaceStore workspaces, WorkspaceSetup setup, ILogger<DiscordWorkspaces> logger)
{
    /// <summary>At start, before the gateway connects: configured guilds take webhooks at once.</summary>
    public async Task EnsureConfiguredAsync(CancellationToken cancellationToken)
    {
        foreach (var guildId in guilds.Configured.Keys) await EnsureAsync(guildId, null, cancellationToken);
    }

    /// <summary>
    /// The guild is available (GUILD_CREATE): its workspace is made sure of and, if TeamBot had been removed from the guild,
    /// takes leads again.
    /// </summary>
    public async Task<Workspace> AvailableAsync(ulong guildId, string name, CancellationToken cancellationToken)
    {
        var workspace = await EnsureAsync(guildId, name, cancellationToken);
        if (workspace.LeftAt is null) return workspace;
        await workspaces.SetLeftAsync(workspace.Id, null, cancellationToken);
        LogBack(logger, workspace.Id, guildId);
        return workspace with { LeftAt = null };
    }

    /// <summary>TeamBot was removed from the guild (GUILD_DELETE): its workspace takes no leads until the guild is available again.</summary>
    public async Task LeftAsync(ulong guildId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var id = DiscordGuilds.WorkspaceOf(guildId);
        if (await workspaces.SetLeftAsync(id, at, cancellationToken)) LogLeft(logger, id, guildId);
    }

    /// <summary>
    /// A new session's READY listed the guilds the bot is in on one shard: each stored guild workspace of that shard missing
    /// from the list, TeamBot is not in (removed while it was offline, or never added), and it takes no leads until the guild
    /// is available. A guild's shard is <c>(guild_id &gt;&gt; 22) % shard count</c> (<see cref="DiscordGuilds.ShardOf"/>).
    /// </summary>
    public async Task AbsentAsync(int shardId, int shardCount, IReadOnlySet<ulong> present, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var workspace in await workspaces.ListByPlatformAsync(DiscordChatPlatform.Platform, cancellationToken))
        {
            if (workspace.LeftAt is not null || DiscordGuilds.GuildOf(workspace.Id) is not { } guildId) continue;
            // Announced since READY (TeamBot was added just now): not absent.
            if (DiscordGuilds.ShardOf(guildId, shardCount) != shardId || present.Contains(guildId) || guilds.Available.ContainsKey(guildId)) continue;
            await LeftAsync(guildId, at, cancellationToken);
            // Announced while that was written: back at once.
            if (guilds.Available.ContainsKey(guildId)) await workspaces.SetLeftAsync(workspace.Id, null, cancellationToken);
        }
    }

    /// <summary>Creates or updates the guild's workspace; <paramref name="name"/> is the guild's name when the gateway gave it.</summary>
    public async Task<Workspace> EnsureAsync(ulong guildId, string? name, CancellationToken cancellationToken)
    {
        var id = DiscordGuilds.WorkspaceOf(guildId);
        var existing = await workspaces.FindAsync(id, cancellationToken);
        var configured = guilds.Configured.GetValueOrDefault(guildId);
        string Place(string? fromConfig, string? stored) => !string.IsNullOrWhiteSpace(fromConfig) ? fromConfig.Trim() : stored ?? "";
        var workspace = new Workspace(
            id,
            DiscordChatPlatform.Platform,
            !string.IsNullOrWhiteSpace(name) ? name : existing?.Name ?? $"Discord server {guildId}",
            !string.IsNullOrWhiteSpace(configured?.TimeZone) ? configured.TimeZone : existing?.TimeZoneId ?? options.TimeZone,
            new WorkspacePlaces(
                Place(configured?.HandoffsChannel, existing?.Places.Handoffs),
                Place(configured?.MarketingChannel, existing?.Places.Marketing),
                Place(configured?.GeneralChannel, existing?.Places.General)),
            existing?.LeftAt);
        if (existing is not null && existing.Platform != DiscordChatPlatform.Platform)
        {
            throw new InvalidOperationException($"The workspace {id} already exists for the platform '{existing.Platform}'; it cannot become a Discord server's workspace.");
        }
        if (existing != workspace)
        {
            await setup.EnsureAsync(workspace, cancellationToken);
            LogEnsured(logger, id, workspace.Name, existing is null ? "created" : "updated");
        }

        if (configured?.ApiKey is { Length: > 0 } key) await workspaces.ApplyApiKeyAsync(id, key, cancellationToken);
        if (string.IsNullOrEmpty(workspace.Places.Handoffs)) LogNoHandoffs(logger, id, guildId);
        return workspace;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {Workspace} ({Name}) {Change} for its Discord server")]
    private static partial void LogEnsured(ILogger logger, string workspace, string name, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TeamBot is not in Discord server {GuildId} (removed, or never added): workspace {Workspace} refuses new leads until TeamBot is added")]
    private static partial void LogLeft(ILogger logger, string workspace, ulong guildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "TeamBot is back in Discord server {GuildId}: workspace {Workspace} takes leads again")]
    private static partial void LogBack(ILogger logger, string workspace, ulong guildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {Workspace} has no handoffs channel: set Discord:Guilds:{GuildId}:HandoffsChannel, or have an admin run /setup handoffs in that channel")]
    private static partial void LogNoHandoffs(ILogger logger, string workspace, ulong guildId);
}
