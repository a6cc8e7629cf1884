using System.Collections.Concurrent;
using System.Globalization;
using TeamBot.Core;

namespace TeamBot.Chat.Discord;

/// <summary>
/// What the running adapter has learned from the gateway and the configuration: the bot's own ids, the guilds it is in
/// (each the workspace <c>discord-&lt;guildId&gt;</c>), which channels are threads, which guild a user was last seen in (so
/// that a DM finds its workspace), and each guild's role mapping. Thread-safe; shared by every shard.
/// </summary>
public sealed class DiscordGuilds
{
    private readonly ConcurrentDictionary<ulong, string> _names = new();
    private readonly ConcurrentDictionary<ulong, byte> _threads = new();
    private readonly ConcurrentDictionary<ulong, ulong> _guildOfUser = new();
    private readonly ConcurrentDictionary<ulong, ulong> _guildOfDm = new();
    private readonly ConcurrentDictionary<ulong, IReadOnlyDictionary<ulong, TeamRoles>> _roleMaps = new();
    private readonly Dictionary<ulong, long> _roleVersions = [];
    private readonly IReadOnlyDictionary<ulong, DiscordGuildOptions> _configured;
    private long _botUserId;
    private long _applicationId;
    private volatile DiscordInbound? _inbound;

    public DiscordGuilds(DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = options.Guilds
            .Where(g => Snowflake.TryParse(g.Key, out _))
            .ToDictionary(g => ulong.Parse(g.Key, CultureInfo.InvariantCulture), g => g.Value);
        foreach (var (id, guild) in _configured) _roleMaps[id] = ConfiguredRoles(guild);
    }

    public ulong BotUserId
    {
        get => (ulong)Interlocked.Read(ref _botUserId);
        set
        {
            if ((ulong)Interlocked.Exchange(ref _botUserId, (long)value) != value) _inbound = null;
        }
    }

    /// <summary>The translator for gateway events, made once per bot identity (every event uses it).</summary>
    public DiscordInbound Inbound => _inbound ??= new DiscordInbound(InboundSettings());

    public ulong ApplicationId
    {
        get => (ulong)Interlocked.Read(ref _applicationId);
        set => Interlocked.Exchange(ref _applicationId, (long)value);
    }

    /// <summary>Guilds set up in configuration, with their settings.</summary>
    public IReadOnlyDictionary<ulong, DiscordGuildOptions> Configured => _configured;

    /// <summary>The guilds the gateway has announced (GUILD_CREATE), with their names.</summary>
    public IReadOnlyDictionary<ulong, string> Available => _names;

    public static string WorkspaceOf(ulong guildId) => DiscordInboundSettings.DefaultWorkspaceId(guildId);

    /// <summary>The guild of a workspace id of the form <c>discord-&lt;guildId&gt;</c>; null for any other.</summary>
    public static ulong? GuildOf(string workspaceId) =>
        workspaceId is not null && workspaceId.StartsWith("discord-", StringComparison.Ordinal) && Snowflake.TryParse(workspaceId["discord-".Length..], out var id) ? id : null;

    public void GuildAvailable(ulong guildId, string name, IEnumerable<ulong> threadIds)
    {
        _names[guildId] = name;
        foreach (var thread in threadIds) _threads[thread] = 0;
    }

    /// <summary>
    /// TeamBot was removed from the guild: it is no longer known as available, people last seen there no longer lead to it,
    /// and its stored role mapping is forgotten (read again if it comes back). The DMs opened for it are forgotten here, but a
    /// DM that comes back is still looked up in the stored addresses (<see cref="DiscordDirects"/>); its workspace refuses new
    /// leads, and nothing can be posted to the guild anyway.
    /// </summary>
    public void GuildRemoved(ulong guildId)
    {
        _names.TryRemove(guildId, out _);
        foreach (var (user, guild) in _guildOfUser)
        {
            if (guild == guildId) _guildOfUser.TryRemove(new KeyValuePair<ulong, ulong>(user, guild));
        }
        foreach (var (channel, guild) in _guildOfDm)
        {
            if (guild == guildId) _guildOfDm.TryRemove(new KeyValuePair<ulong, ulong>(channel, guild));
        }
        if (_configured.TryGetValue(guildId, out var configured)) _roleMaps[guildId] = ConfiguredRoles(configured);
        else _roleMaps.TryRemove(guildId, out _);
    }

    /// <summary>
    /// A new session's READY on one shard listed <paramref name="present"/>: the guilds of that shard announced before and
    /// missing now are gone (removed while the connection was down), as after a GUILD_DELETE.
    /// </summary>
    public void SessionStarted(int shardId, int shardCount, IReadOnlySet<ulong> present)
    {
        foreach (var guildId in _names.Keys)
        {
            if (ShardOf(guildId, shardCount) == shardId && !present.Contains(guildId)) GuildRemoved(guildId);
        }
    }

    /// <summary>The shard whose session carries a guild's events, as Discord assigns them.</summary>
    public static int ShardOf(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)Math.Max(1, shardCount));

    public void ThreadSeen(ulong channelId) => _threads[channelId] = 0;

    public void ThreadDeleted(ulong channelId) => _threads.TryRemove(channelId, out _);

    public bool IsThread(ulong channelId) => _threads.ContainsKey(channelId);

    /// <summary>Remembers where a user was seen, so that their DMs belong to that guild's workspace.</summary>
    public void UserSeen(ulong userId, ulong guildId) => _guildOfUser[userId] = guildId;

    /// <summary>A DM channel TeamBot opened for a workspace: what comes back in it belongs to that workspace.</summary>
    public void DirectOpened(ulong channelId, ulong userId, ulong guildId)
    {
        _guildOfDm[channelId] = guildId;
        _guildOfUser.TryAdd(userId, guildId);
    }

    public ulong? GuildOfChannel(ulong channelId) => _guildOfDm.TryGetValue(channelId, out var guild) ? guild : null;

    /// <summary>
    /// The guild whose workspace a DM from <paramref name="userId"/> belongs to: where TeamBot last saw or messaged them; with
    /// only one guild known, that one.
    /// </summary>
    public ulong? GuildOfUser(ulong userId)
    {
        if (_guildOfUser.TryGetValue(userId, out var guild)) return guild;
        var known = _names.Keys.Concat(_configured.Keys).Distinct().Take(2).ToList();
        return known.Count == 1 ? known[0] : null;
    }

    public IReadOnlyDictionary<ulong, TeamRoles>? RoleMapOf(ulong guildId) => _roleMaps.TryGetValue(guildId, out var map) && map.Count > 0 ? map : null;

    /// <summary>
    /// The guild's role mapping: configured roles, plus those stored with <c>/setup roles</c> (platform role id → roles).
    /// <paramref name="version"/> is the change counter read before the store was: an older read never replaces a newer one.
    /// </summary>
    public void SetStoredRoles(ulong guildId, IReadOnlyDictionary<string, TeamRoles> stored, long version = 0)
    {
        ArgumentNullException.ThrowIfNull(stored);
        lock (_roleVersions)
        {
            if (_roleVersions.TryGetValue(guildId, out var newer) && newer > version) return;
            _roleVersions[guildId] = version;
        }
        var map = new Dictionary<ulong, TeamRoles>(_configured.TryGetValue(guildId, out var guild) ? ConfiguredRoles(guild) : new Dictionary<ulong, TeamRoles>());
        foreach (var (key, roles) in stored)
        {
            if (Snowflake.TryParse(key, out var id)) map[id] = map.GetValueOrDefault(id) | roles;
        }
        _roleMaps[guildId] = map;
    }

    public DiscordInboundSettings InboundSettings() => new(BotUserId, WorkspaceOf, GuildOfUser, RoleMapOf, IsThread, GuildOfChannel);

    private static Dictionary<ulong, TeamRoles> ConfiguredRoles(DiscordGuildOptions guild)
    {
        var map = new Dictionary<ulong, TeamRoles>();
        foreach (var (text, role) in new[] { (guild.Roles.Sales, TeamRoles.Sales), (guild.Roles.Marketing, TeamRoles.Marketing), (guild.Roles.Admin, TeamRoles.Admin) })
        {
            if (!DiscordGuildOptions.TryParseRoleIds(text, out var ids)) continue;
            foreach (var id in ids) map[id] = map.GetValueOrDefault(id) | role;
        }
        return map;
    }
}
