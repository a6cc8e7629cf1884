using TeamBot.Chat.Discord.Messages;

namespace TeamBot.Chat.Discord.Rest;

/// <summary>The answer of <c>GET /gateway/bot</c>.</summary>
public sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary>How many identifies are left, when that count resets (<see cref="ResetAfter"/>), and how many may start per 5 s.</summary>
public sealed record SessionStartLimit(int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);

/// <summary>A message Discord created or returned: its id and channel.</summary>
public sealed record PostedMessage(ulong Id, ulong ChannelId);

/// <summary>
/// A channel of a guild as Get Guild Channels lists it (threads are not listed). <paramref name="Type"/>: 0 text, 2 voice,
/// 4 category, 5 announcement, 13 stage, 15 forum, 16 media; <paramref name="Position"/>: its place in the sidebar.
/// </summary>
public sealed record GuildChannel(ulong Id, int Type, string Name, int Position);

/// <summary>A guild's id (also its @everyone role's), its owner, and every role's permissions (Get Guild).</summary>
public sealed record GuildRoles(ulong Id, ulong OwnerId, IReadOnlyDictionary<ulong, ulong> Permissions);

/// <summary>One of a channel's permission overwrites: for a role (<paramref name="Type"/> 0) or a member (1), what it allows and denies.</summary>
public sealed record PermissionOverwrite(ulong Id, int Type, ulong Allow, ulong Deny);

public sealed record DiscordUser(ulong Id, string Username, bool Bot = false, string? GlobalName = null);

public enum ReactionType { Normal = 0, Burst = 1 }

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are Discord's option types.")]
public enum ApplicationCommandOptionType
{
    SubCommand = 1, SubCommandGroup = 2, String = 3, Integer = 4, Boolean = 5, User = 6, Channel = 7, Role = 8, Mentionable = 9, Number = 10,
}

/// <summary>A slash command as registered with Discord (names 1–32 characters, descriptions 1–100).</summary>
public sealed record ApplicationCommand(string Name, string Description, IReadOnlyList<ApplicationCommandOption>? Options = null)
{
    public int Type { get; init; } = 1;
}

public sealed record ApplicationCommandOption(ApplicationCommandOptionType Type, string Name, string Description)
{
    public bool? Required { get; init; }
    public bool? Autocomplete { get; init; }
    public IReadOnlyList<ApplicationCommandChoice>? Choices { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
}

public sealed record ApplicationCommandChoice(string Name, string Value);

/// <summary>
/// The callbacks whose body is a message (or nothing). Autocomplete results (8) and modals (9) carry other data, which
/// <see cref="InteractionResponse"/> cannot hold, so they are left out until TeamBot needs them.
/// </summary>
public enum InteractionCallbackType
{
    Pong = 1, ChannelMessageWithSource = 4, DeferredChannelMessageWithSource = 5, DeferredUpdateMessage = 6, UpdateMessage = 7,
}

/// <summary>The first answer to an interaction; it must reach Discord within 3 s.</summary>
public sealed record InteractionResponse(InteractionCallbackType Type, DiscordMessageBody? Data = null);
