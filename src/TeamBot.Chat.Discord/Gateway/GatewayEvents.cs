using System.Text.Json;
using TeamBot.Chat.Discord.Rest;

namespace TeamBot.Chat.Discord.Gateway;

/// <summary>A gateway event TeamBot consumes, decoded from a dispatch (op 0).</summary>
public abstract record GatewayEvent;

/// <summary>
/// A new session: keep <see cref="SessionId"/> and <see cref="ResumeGatewayUrl"/> to resume it. <see cref="GuildIds"/> are
/// the guilds the bot is in on this shard (READY's <c>guilds</c>), null when READY did not list them.
/// </summary>
public sealed record ReadyEvent(string SessionId, string ResumeGatewayUrl, DiscordUser User, ulong? ApplicationId, IReadOnlyList<ulong>? GuildIds = null) : GatewayEvent;

/// <summary>A resume finished: every missed event has been replayed.</summary>
public sealed record ResumedEvent : GatewayEvent;

/// <summary>The connection ended (not at shutdown), with its close code; the client reconnects on its own.</summary>
public sealed record DisconnectedEvent(int CloseCode) : GatewayEvent;

/// <summary>
/// A guild the bot is in became available (on connect, on join, or after an outage): its name and its active threads.
/// <see cref="Unavailable"/> means Discord cannot serve it right now.
/// </summary>
public sealed record GuildAvailableEvent(ulong Id, string Name, bool Unavailable, IReadOnlyList<ulong> ThreadIds) : GatewayEvent;

/// <summary>
/// GUILD_DELETE: the bot was removed from a guild (kicked, or the guild deleted), or with <see cref="Unavailable"/> the guild
/// is in an outage and comes back with a GUILD_CREATE.
/// </summary>
public sealed record GuildGoneEvent(ulong Id, bool Unavailable) : GatewayEvent;

/// <summary>A thread was created in (or the bot was added to a thread of) a guild.</summary>
public sealed record ThreadCreatedEvent(ulong Id, ulong? GuildId) : GatewayEvent;

/// <summary>THREAD_DELETE: a thread was deleted.</summary>
public sealed record ThreadDeletedEvent(ulong Id) : GatewayEvent;

/// <summary>
/// A message; <see cref="GuildId"/> is null in DMs, <see cref="MemberRoles"/> null for webhooks and DMs. <see cref="Type"/> is
/// Discord's message type (0 plain, 19 a reply, the others system messages); <see cref="WebhookId"/> is set when a webhook
/// posted it; <see cref="MemberNick"/> is the author's guild nickname; <see cref="InThread"/> says the message carries a
/// <c>position</c>, which Discord sends only for messages in threads. <see cref="Edited"/> marks a MESSAGE_UPDATE: the
/// message's author changed it (an update without an author, such as an embed unfurling, decodes with author id 0).
/// </summary>
public sealed record MessageCreatedEvent(
    ulong Id, ulong ChannelId, ulong? GuildId, DiscordUser Author, string Content, IReadOnlyList<ulong>? MemberRoles, IReadOnlyList<ulong> MentionedUserIds,
    int Type = 0, ulong? WebhookId = null, string? MemberNick = null, bool InThread = false, bool Edited = false) : GatewayEvent;

/// <summary>
/// A reaction added or removed. A removal carries no member (so no roles) and no message author; the emoji's name is
/// null for a deleted custom emoji. <see cref="Member"/> (the reacting user's names, from an add in a guild) is null otherwise.
/// </summary>
public sealed record ReactionEvent(
    bool Added, ulong UserId, ulong ChannelId, ulong MessageId, ulong? GuildId, DiscordEmoji Emoji, IReadOnlyList<ulong>? MemberRoles, ulong? MessageAuthorId, bool Burst,
    DiscordUser? Member = null, string? MemberNick = null) : GatewayEvent;

/// <summary>
/// An interaction (command, component, autocomplete, modal); answer it over REST within 3 s. <see cref="MessageId"/> is the
/// message whose component was used; <see cref="MemberNick"/> the user's guild nickname; <see cref="Permissions"/> the
/// member's computed permissions in the channel (guild interactions only).
/// </summary>
public sealed record InteractionCreatedEvent(
    ulong Id, string Token, int Type, ulong ApplicationId, ulong? GuildId, ulong? ChannelId, DiscordUser User, IReadOnlyList<ulong>? MemberRoles, JsonElement Data,
    ulong? MessageId = null, string? MemberNick = null, ulong? Permissions = null) : GatewayEvent;

/// <summary>Turns dispatch payloads into typed events; unknown types give null and are ignored.</summary>
public static class GatewayEventDecoder
{
    /// <remarks>A known event whose <c>d</c> is not an object is malformed and ignored like an unknown one (READY excepted: without it there is no session).</remarks>
    public static GatewayEvent? Decode(string type, JsonElement d) =>
        d.ValueKind != JsonValueKind.Object && type is not ("READY" or "RESUMED") ? null : DecodeObject(type, d);

    private static GatewayEvent? DecodeObject(string type, JsonElement d) => type switch
    {
        "READY" => new ReadyEvent(
            DiscordJson.Text(d, "session_id") ?? throw new JsonException("READY without session_id"),
            DiscordJson.Text(d, "resume_gateway_url") ?? throw new JsonException("READY without resume_gateway_url"),
            User(DiscordJson.Child(d, "user")),
            DiscordJson.Child(d, "application") is { } app ? DiscordJson.Id(app, "id") : null,
            Ids(d, "guilds")),
        "RESUMED" => new ResumedEvent(),
        "GUILD_CREATE" => new GuildAvailableEvent(
            DiscordJson.Id(d, "id") ?? 0, DiscordJson.Text(d, "name") ?? "", DiscordJson.Flag(d, "unavailable"), Ids(d, "threads") ?? []),
        "GUILD_DELETE" => new GuildGoneEvent(DiscordJson.Id(d, "id") ?? 0, DiscordJson.Flag(d, "unavailable")),
        "THREAD_CREATE" => new ThreadCreatedEvent(DiscordJson.Id(d, "id") ?? 0, DiscordJson.Id(d, "guild_id")),
        "THREAD_DELETE" => new ThreadDeletedEvent(DiscordJson.Id(d, "id") ?? 0),
        "MESSAGE_CREATE" or "MESSAGE_UPDATE" => new MessageCreatedEvent(
            DiscordJson.Id(d, "id") ?? 0, DiscordJson.Id(d, "channel_id") ?? 0, DiscordJson.Id(d, "guild_id"),
            User(DiscordJson.Child(d, "author")), DiscordJson.Text(d, "content") ?? "", Roles(DiscordJson.Child(d, "member")),
            d.TryGetProperty("mentions", out var m) && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray().Select(u => DiscordJson.Id(u, "id") ?? 0)] : [],
            DiscordJson.Number(d, "type") ?? 0, DiscordJson.Id(d, "webhook_id"), Nick(DiscordJson.Child(d, "member")),
            d.TryGetProperty("position", out var position) && position.ValueKind == JsonValueKind.Number,
            Edited: type == "MESSAGE_UPDATE"),
        "MESSAGE_REACTION_ADD" or "MESSAGE_REACTION_REMOVE" => new ReactionEvent(
            type == "MESSAGE_REACTION_ADD", DiscordJson.Id(d, "user_id") ?? 0, DiscordJson.Id(d, "channel_id") ?? 0, DiscordJson.Id(d, "message_id") ?? 0,
            DiscordJson.Id(d, "guild_id"), Emoji(DiscordJson.Child(d, "emoji")), Roles(DiscordJson.Child(d, "member")),
            DiscordJson.Id(d, "message_author_id"), DiscordJson.Flag(d, "burst"),
            DiscordJson.Child(d, "member") is { } reactor && DiscordJson.Child(reactor, "user") is { } reactorUser ? User(reactorUser) : null,
            Nick(DiscordJson.Child(d, "member"))),
        "INTERACTION_CREATE" => Interaction(d),
        _ => null,
    };

    private static InteractionCreatedEvent Interaction(JsonElement d)
    {
        var member = DiscordJson.Child(d, "member");
        var user = member is { } mm ? DiscordJson.Child(mm, "user") : DiscordJson.Child(d, "user");
        return new InteractionCreatedEvent(
            DiscordJson.Id(d, "id") ?? 0, DiscordJson.Text(d, "token") ?? "", DiscordJson.Number(d, "type") ?? 0, DiscordJson.Id(d, "application_id") ?? 0,
            DiscordJson.Id(d, "guild_id"), DiscordJson.Id(d, "channel_id"), User(user), Roles(member),
            d.TryGetProperty("data", out var data) ? data.Clone() : default,
            DiscordJson.Child(d, "message") is { } message ? DiscordJson.Id(message, "id") : null,
            Nick(member),
            member is { } withPermissions ? DiscordJson.Id(withPermissions, "permissions") : null);
    }

    /// <summary>The ids of an array of objects (<c>guilds</c>, <c>threads</c>), without missing ones; null when there is no array.</summary>
    private static IReadOnlyList<ulong>? Ids(JsonElement d, string name) =>
        d.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(item => DiscordJson.Id(item, "id") ?? 0).Where(id => id != 0)]
            : null;

    private static string? Nick(JsonElement? member) => member is { } m ? DiscordJson.Text(m, "nick") : null;

    private static DiscordEmoji Emoji(JsonElement? e) =>
        e is { } emoji ? new DiscordEmoji(DiscordJson.Text(emoji, "name"), DiscordJson.Id(emoji, "id"), DiscordJson.Flag(emoji, "animated")) : new DiscordEmoji(null);

    private static IReadOnlyList<ulong>? Roles(JsonElement? member) =>
        member is { } m && m.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? [.. roles.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String && ulong.TryParse(r.GetString(), out var id) ? id : 0)]
            : member is null ? null : [];

    private static DiscordUser User(JsonElement? u) => u is { } user
        ? new DiscordUser(DiscordJson.Id(user, "id") ?? 0, DiscordJson.Text(user, "username") ?? "", DiscordJson.Flag(user, "bot"), DiscordJson.Text(user, "global_name"))
        : new DiscordUser(0, "");
}
