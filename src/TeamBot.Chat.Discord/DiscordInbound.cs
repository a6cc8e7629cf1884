using System.Globalization;
using System.Text.Json;
using TeamBot.Chat.Discord.Gateway;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Chat.Discord;

/// <summary>
/// What one gateway event means to TeamBot: a neutral <see cref="Event"/> for <see cref="ChatInbox"/>, or a
/// <see cref="Reply"/> the adapter gives at once without Core (a typed command that does not parse), a <see cref="Modal"/>
/// to open because the control clicked asks for text first, or nothing.
/// </summary>
public sealed record InboundTranslation(ChatEvent? Event, PlaceRef? Place = null, ChatReply? Reply = null, Messages.ModalData? Modal = null)
{
    public static InboundTranslation Ignored { get; } = new(Event: null);

    public bool IsIgnored => Event is null && Reply is null && Modal is null;
}

/// <summary>Where Discord things belong in TeamBot. Every function is asked only about ids seen in events.</summary>
/// <param name="BotUserId">The bot's own user id (from READY): its reactions and clicks are marked as the bot's.</param>
/// <param name="WorkspaceOf">The workspace a guild is, or null for a guild TeamBot does not serve (its events are ignored).</param>
/// <param name="GuildOfUser">The guild whose workspace a direct message belongs to, or null (the DM is ignored).</param>
/// <param name="RoleMapOf">A guild's Discord role ids with the TeamBot roles they give, or null when the guild maps none.</param>
/// <param name="GuildOfChannel">The guild whose workspace opened a DM channel, checked before <paramref name="GuildOfUser"/>.</param>
/// <param name="IsThread">Whether a channel is a thread, as the adapter learned from the gateway; messages that carry a
/// thread <c>position</c> count as thread messages either way.</param>
public sealed record DiscordInboundSettings(
    ulong BotUserId,
    Func<ulong, string?> WorkspaceOf,
    Func<ulong, ulong?> GuildOfUser,
    Func<ulong, IReadOnlyDictionary<ulong, TeamRoles>?> RoleMapOf,
    Func<ulong, bool>? IsThread = null,
    Func<ulong, ulong?>? GuildOfChannel = null)
{
    /// <summary>Each guild is the workspace <c>discord-&lt;guildId&gt;</c>.</summary>
    public static string DefaultWorkspaceId(ulong guildId) => string.Create(CultureInfo.InvariantCulture, $"discord-{guildId}");
}

/// <summary>
/// The inbound half of the Discord adapter: decoded gateway events become Core's neutral <see cref="ChatEvent"/>s, and
/// nothing of Discord's payloads goes further. Pure: no I/O, every lookup comes from <see cref="DiscordInboundSettings"/>.
/// </summary>
/// <remarks>
/// <para>One guild is one workspace. A direct message has no guild, so it belongs to the workspace of the guild the
/// user is known in (<see cref="DiscordInboundSettings.GuildOfUser"/>); a DM from someone TeamBot knows from no served
/// guild is ignored, because there is no workspace whose people, leads and settings it could be about.</para>
/// <para>Roles: a member's Discord roles map through the guild's role map; a guild administrator (permission bit
/// 0x8) is also Admin. Discord sends permissions only with interactions, so messages and reactions report the mapped
/// roles only when the map gives some (and otherwise null, so that the stored roles, including Admin, stay); a
/// removal, a DM, or a guild without a role map reports null as well.</para>
/// <para>Not handled here: PING (type 1, answered by the caller) and autocomplete (4).</para>
/// </remarks>
public sealed class DiscordInbound(DiscordInboundSettings settings)
{
    public const ulong AdministratorPermission = 0x8;

    private const int DefaultMessage = 0;
    private const int ReplyMessage = 19;

    public InboundTranslation Translate(GatewayEvent gatewayEvent) => gatewayEvent switch
    {
        ReactionEvent r => Reaction(r),
        MessageCreatedEvent m => Message(m),
        InteractionCreatedEvent { Type: 2 } i => SlashCommand(i),
        InteractionCreatedEvent { Type: 3 } i => Component(i),
        InteractionCreatedEvent { Type: 5 } i => ModalSubmit(i),
        _ => InboundTranslation.Ignored,
    };

    private InboundTranslation Reaction(ReactionEvent r)
    {
        // A deleted custom emoji has no name: nothing could mean anything by it.
        if (r.Emoji.Name is null) return InboundTranslation.Ignored;
        // Ids that were missing or not snowflakes read as 0: such a reaction is by no one, on nothing.
        if (r.UserId == 0 || r.ChannelId == 0 || r.MessageId == 0) return InboundTranslation.Ignored;
        if (WorkspaceFor(r.GuildId, r.ChannelId, r.UserId) is not { } workspace) return InboundTranslation.Ignored;

        var user = new ChatUser(Id(r.UserId), r.Member is { } member ? DisplayName(r.MemberNick, member) : "",
            MappedRoles(r.GuildId, r.MemberRoles, null), IsBot: r.UserId == settings.BotUserId);
        var message = new MessageRef(DiscordChatPlatform.Platform, workspace, Id(r.ChannelId), Id(r.MessageId));
        return new InboundTranslation(new ReactionChanged(message, user, r.Emoji.ToString(), r.Added));
    }

    private InboundTranslation Message(MessageCreatedEvent m)
    {
        if (m.Author.Id == 0 || m.Author.Bot || m.WebhookId is not null || m.Author.Id == settings.BotUserId) return InboundTranslation.Ignored;
        if (m.Type is not (DefaultMessage or ReplyMessage) || string.IsNullOrWhiteSpace(m.Content)) return InboundTranslation.Ignored;
        if (WorkspaceFor(m.GuildId, m.ChannelId, m.Author.Id) is not { } workspace) return InboundTranslation.Ignored;

        var place = new PlaceRef(DiscordChatPlatform.Platform, workspace, Id(m.ChannelId));
        var user = new ChatUser(Id(m.Author.Id), DisplayName(m.MemberNick, m.Author), MappedRoles(m.GuildId, m.MemberRoles, null));
        var messageId = Id(m.Id);
        var isThread = m.InThread || settings.IsThread?.Invoke(m.ChannelId) == true;
        if (m.Edited)
        {
            // A changed command is not run again; a changed answer in a DM or a thread updates what it answered.
            return CommandParser.LooksLikeCommand(m.Content) || (m.GuildId is not null && !isThread)
                ? InboundTranslation.Ignored
                : new InboundTranslation(new MessageEdited(place, user, messageId, m.Content));
        }
        if (CommandParser.LooksLikeCommand(m.Content))
        {
            return CommandParser.TryParse(m.Content, out var command, out var error)
                ? new InboundTranslation(new CommandInvoked(place, user, command))
                : new InboundTranslation(null, place, ChatReply.Private(error));
        }

        if (m.GuildId is null) return new InboundTranslation(new DirectMessagePosted(place, user, messageId, m.Content));
        return isThread
            ? new InboundTranslation(new ThreadMessagePosted(place, user, messageId, m.Content))
            : InboundTranslation.Ignored;
    }

    private InboundTranslation SlashCommand(InteractionCreatedEvent i)
    {
        if (InteractionContext(i) is not var (place, user)) return InboundTranslation.Ignored;
        return TryReadCommand(i.Data, out var command, out var error)
            ? new InboundTranslation(new CommandInvoked(place, user, command))
            : new InboundTranslation(null, place, ChatReply.Private(error));
    }

    private InboundTranslation Component(InteractionCreatedEvent i)
    {
        if (i.MessageId is not { } messageId || InteractionContext(i) is not var (place, user)) return InboundTranslation.Ignored;
        var customId = DiscordJson.Text(i.Data, "custom_id") ?? "";
        var selected = i.Data.ValueKind == JsonValueKind.Object && i.Data.TryGetProperty("values", out var values)
                       && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 && values[0].ValueKind == JsonValueKind.String
            ? values[0].GetString()
            : null;
        if (DiscordCards.ParseCustomId(customId, selected) is not { } control) return InboundTranslation.Ignored;
        if (control.AsksForInput)
        {
            return DiscordModals.For(customId, selected, control) is { } modal
                ? new InboundTranslation(null, place, Modal: modal)
                : new InboundTranslation(null, place, ChatReply.Private("That choice needs details this form cannot ask for; use the matching /leads command instead."));
        }

        var message = new MessageRef(place.Platform, place.Workspace, place.Id, Id(messageId));
        return new InboundTranslation(new CardActionInvoked(message, user, control.ActionId, control.Value));
    }

    private InboundTranslation ModalSubmit(InteractionCreatedEvent i)
    {
        if (i.MessageId is not { } messageId || InteractionContext(i) is not var (place, user)) return InboundTranslation.Ignored;
        if (DiscordModals.ReadSubmit(i.Data) is not var (control, value))
        {
            return new InboundTranslation(null, place, ChatReply.Private("That form was not filled in as needed; try the button again."));
        }
        var message = new MessageRef(place.Platform, place.Workspace, place.Id, Id(messageId));
        return new InboundTranslation(new CardActionInvoked(message, user, control.ActionId, value));
    }

    private (PlaceRef Place, ChatUser User)? InteractionContext(InteractionCreatedEvent i)
    {
        if (i.ChannelId is not { } channel || WorkspaceFor(i.GuildId, channel, i.User.Id) is not { } workspace) return null;
        var place = new PlaceRef(DiscordChatPlatform.Platform, workspace, Id(channel));
        var user = new ChatUser(Id(i.User.Id), DisplayName(i.MemberNick, i.User), MappedRoles(i.GuildId, i.MemberRoles, i.Permissions),
            IsBot: i.User.Bot || i.User.Id == settings.BotUserId);
        return (place, user);
    }

    /// <summary>
    /// A native slash command: <c>data.name</c>, and either the options directly or one subcommand option (type 1) with
    /// its own options. Option names come back as the catalog spells them (Discord has them lowercased).
    /// </summary>
    public static bool TryReadCommand(JsonElement data, out ChatCommand command, out string error)
    {
        command = null!;
        error = "";
        var name = (DiscordJson.Text(data, "name") ?? "").ToLowerInvariant();
        var specs = CommandCatalog.Named(name);
        if (specs.Count == 0)
        {
            error = $"There is no /{name} command. Try /help.";
            return false;
        }

        var options = Options(data);
        string? subcommand = null;
        if (specs.Any(s => s.Subcommand is not null))
        {
            var sub = options.FirstOrDefault(o => DiscordJson.Number(o, "type") == (int)ApplicationCommandOptionType.SubCommand);
            if (sub.ValueKind != JsonValueKind.Object)
            {
                error = $"/{name} needs a subcommand: {string.Join(", ", specs.Select(s => s.Subcommand))}.";
                return false;
            }
            subcommand = (DiscordJson.Text(sub, "name") ?? "").ToLowerInvariant();
            options = Options(sub);
        }
        var spec = specs.FirstOrDefault(s => s.Subcommand == subcommand);
        if (spec is null)
        {
            error = $"/{name} has no '{subcommand}' subcommand. It has: {string.Join(", ", specs.Select(s => s.Subcommand))}.";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            var optionName = DiscordJson.Text(option, "name") ?? "";
            if (spec.Option(optionName) is not { } known)
            {
                error = $"{spec.FullName} has no option '{optionName}'. Discord may still show an older registration; try again in a minute.";
                return false;
            }
            if (!option.TryGetProperty("value", out var value)) continue;
            values[known.Name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            };
        }

        var text = spec.FullName + string.Concat(spec.Options.Where(o => values.ContainsKey(o.Name)).Select(o => $" {o.Name}:{Quoted(values[o.Name])}"));
        command = new ChatCommand(name, subcommand, values, text);
        return true;
    }

    /// <summary>
    /// An autocomplete interaction (type 4): the option being typed (the one marked <c>focused</c>), its command, and what
    /// has been typed so far.
    /// </summary>
    public static bool TryReadFocused(JsonElement data, out OptionSpec option, out string typed)
    {
        option = null!;
        typed = "";
        var specs = CommandCatalog.Named((DiscordJson.Text(data, "name") ?? "").ToLowerInvariant());
        var options = Options(data);
        var sub = options.FirstOrDefault(o => DiscordJson.Number(o, "type") == (int)ApplicationCommandOptionType.SubCommand);
        var subcommand = sub.ValueKind == JsonValueKind.Object ? (DiscordJson.Text(sub, "name") ?? "").ToLowerInvariant() : null;
        if (subcommand is not null) options = Options(sub);
        var spec = specs.FirstOrDefault(s => s.Subcommand == subcommand);
        var focused = options.FirstOrDefault(o => DiscordJson.Flag(o, "focused"));
        if (spec is null || focused.ValueKind != JsonValueKind.Object || spec.Option(DiscordJson.Text(focused, "name") ?? "") is not { } known) return false;
        option = known;
        typed = focused.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ValueKind == JsonValueKind.Undefined ? "" : value.GetRawText();
        return true;
    }

    /// <summary>A guild event's guild; for a DM, the workspace that opened the DM channel, else where the user was seen.</summary>
    private string? WorkspaceFor(ulong? guildId, ulong channelId, ulong userId) =>
        (guildId ?? settings.GuildOfChannel?.Invoke(channelId) ?? settings.GuildOfUser(userId)) is { } guild ? settings.WorkspaceOf(guild) : null;

    private TeamRoles? MappedRoles(ulong? guildId, IReadOnlyList<ulong>? memberRoles, ulong? permissions)
    {
        if (guildId is not { } guild || memberRoles is null) return null;
        var map = settings.RoleMapOf(guild);
        var roles = memberRoles.Aggregate(TeamRoles.None, (all, id) => map is not null && map.TryGetValue(id, out var role) ? all | role : all);
        if (permissions is { } bits)
        {
            if ((bits & AdministratorPermission) != 0) roles |= TeamRoles.Admin;
            return map is null && roles == TeamRoles.None ? null : roles;
        }
        return roles == TeamRoles.None ? null : roles;
    }

    /// <summary>What a guild shows: the nickname, else the global display name, else the username.</summary>
    public static string DisplayName(string? nick, DiscordUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !string.IsNullOrWhiteSpace(nick) ? nick : !string.IsNullOrWhiteSpace(user.GlobalName) ? user.GlobalName : user.Username;
    }

    private static string Quoted(string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace) && !value.Contains('"', StringComparison.Ordinal) ? value
        : value.Contains('"', StringComparison.Ordinal) ? $"“{value}”" : $"\"{value}\"";

    private static List<JsonElement> Options(JsonElement parent) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array
            ? [.. options.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object)]
            : [];

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
