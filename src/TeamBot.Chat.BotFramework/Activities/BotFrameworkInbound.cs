using System.Text.Json;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Chat.BotFramework.Activities;

/// <summary>
/// What one activity means to TeamBot: neutral <see cref="Events"/> for <c>ChatInbox</c> (a reaction activity may carry
/// several), or a <see cref="Reply"/> the adapter gives at once without Core (a typed command that does not parse), or
/// nothing.
/// </summary>
public sealed record ActivityTranslation(IReadOnlyList<ChatEvent> Events, PlaceRef? Place = null, ChatReply? Reply = null)
{
    public static ActivityTranslation Ignored { get; } = new([]);

    public bool IsIgnored => Events.Count == 0 && Reply is null;

    public static ActivityTranslation Of(ChatEvent chatEvent) => new([chatEvent]);
}

/// <summary>Where Bot Framework things belong in TeamBot. Every function is asked only about activities that arrived.</summary>
/// <param name="WorkspaceOf">The workspace an activity belongs to, or null when TeamBot does not serve it (it is ignored);
/// <see cref="TeamsWorkspaceId"/> is the rule for Teams.</param>
/// <param name="RolesOf">The TeamBot roles of the person who acted, or null when the configuration does not say (the stored
/// roles apply); <see cref="ConfiguredRoles.Of"/> is the usual one.</param>
/// <param name="BotId">The bot's channel id (<c>28:&lt;appId&gt;</c> in Teams) when known; each activity's
/// <c>recipient</c> counts as the bot as well.</param>
public sealed record BotFrameworkInboundSettings(
    Func<Activity, string?> WorkspaceOf,
    Func<ChannelAccount, TeamRoles?> RolesOf,
    string? BotId = null)
{
    /// <summary>
    /// Teams' workspaces: a team is the workspace <c>teams-&lt;teamId&gt;</c>; a personal or group chat, which has no team,
    /// belongs to the team its sender was seen in (<paramref name="teamOfUser"/>), else to the tenant,
    /// <c>teams-tenant-&lt;tenantId&gt;</c>. Null for other channels and for an activity that names none of these.
    /// </summary>
    public static string? TeamsWorkspaceId(Activity activity, Func<ChannelAccount, string?>? teamOfUser = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ChannelId != BotFrameworkInbound.TeamsChannelId) return null;
        if (activity.TeamId is { } team) return ForTeam(team);
        if (activity.From is { } from && teamOfUser?.Invoke(from) is { Length: > 0 } seen) return ForTeam(seen);
        return activity.TenantId is { } tenant ? "teams-tenant-" + tenant : null;
    }

    /// <summary>
    /// The workspace of a Teams team: <c>teams-</c> and the team id with its colons as underscores
    /// (<c>19:abc@thread.tacv2</c> is <c>teams-19_abc@thread.tacv2</c>), because a colon separates configuration keys
    /// (<c>Workspaces:&lt;id&gt;:ApiKey</c>).
    /// </summary>
    public static string ForTeam(string teamId)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        return "teams-" + teamId.Replace(':', '_');
    }
}

/// <summary>
/// The inbound half of the Bot Framework adapter: parsed activities become Core's neutral <see cref="ChatEvent"/>s, and
/// nothing of the Activity protocol goes further. Pure: no I/O, every lookup comes from
/// <see cref="BotFrameworkInboundSettings"/>.
/// </summary>
/// <remarks>
/// <para>Messages: the bot's own <c>&lt;at&gt;</c> mention (the text of a mention entity naming the bot) is removed and
/// the rest trimmed; nothing else in the text is changed. A text starting with a slash is a command. Teams users also
/// type commands without it (<c>@TeamBot leads quality</c>), so when the bot was mentioned or the chat is personal, a text
/// whose first word is a command name is read as that command; if it does not parse, a thread reply or a personal message
/// stays a plain message, and elsewhere the parse error is the answer. A plain reply in a channel thread is a
/// <see cref="ThreadMessagePosted"/>, a plain personal message a <see cref="DirectMessagePosted"/>; other plain messages are
/// ignored.</para>
/// <para>Card actions (Action.Execute, the <c>adaptiveCard/action</c> invoke): <c>verb</c> is the action id;
/// <c>data.value</c> is the chosen value and <c>data.input</c> the text typed into the card's Input.Text with id
/// <c>input</c> (Teams merges inputs into data by id). They reach Core as the value <c>value:input</c>, which
/// <c>ChatInbox.SplitValue</c> takes apart (just <c>value</c> without input). A legacy Action.Submit (a message with
/// <c>value</c> and no text) carries the same data with <c>verb</c> beside it.</para>
/// <para>Reactions: removals first, then additions, each a <see cref="ReactionChanged"/> with the emoji from
/// <see cref="TeamsReactions"/>. Members: the bot added to or removed from a conversation is a <see cref="MemberChanged"/>
/// for the bot; other people joining are ignored.</para>
/// <para>Ignored: activities from the bot itself or from any account whose role is <c>bot</c>, activities with no sender or
/// no workspace, and every other type.</para>
/// </remarks>
public sealed class BotFrameworkInbound(BotFrameworkInboundSettings settings)
{
    /// <summary>The platform name of Teams in <see cref="PlaceRef"/>s; other channels use their channel id.</summary>
    public const string TeamsPlatform = "teams";

    public const string TeamsChannelId = "msteams";

    public const string CardActionInvoke = "adaptiveCard/action";

    public ActivityTranslation Translate(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.From is not { Id.Length: > 0 } from || IsBot(from, activity)) return ActivityTranslation.Ignored;
        if (activity.Conversation?.Id is not { Length: > 0 } conversationId) return ActivityTranslation.Ignored;
        if (settings.WorkspaceOf(activity) is not { } workspace) return ActivityTranslation.Ignored;

        var place = new PlaceRef(PlatformOf(activity), workspace, PlaceIdOf(activity) ?? conversationId);
        return activity.Type switch
        {
            Activity.MessageType => Message(activity, place),
            Activity.MessageReactionType => Reactions(activity, place),
            Activity.MessageUpdateType => Edited(activity, place),
            Activity.InvokeType when activity.Name == CardActionInvoke => ExecuteAction(activity, place),
            Activity.ConversationUpdateType => Members(activity, place),
            _ => ActivityTranslation.Ignored,
        };
    }

    /// <summary><c>teams</c> for Microsoft Teams, else the channel id (<c>slack</c>, <c>webchat</c>, …).</summary>
    public static string PlatformOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.ChannelId == TeamsChannelId ? TeamsPlatform : activity.ChannelId is { Length: > 0 } channel ? channel : "botframework";
    }

    /// <summary>
    /// The place an activity happened in: the conversation, except that in a Teams channel a new post, and a reaction or
    /// card action on a thread's root message, happened in the channel itself (the conversation id without
    /// <c>;messageid=</c>), where TeamBot posts its cards and where <c>/setup</c> binds. Replies in a thread, and reactions
    /// or actions on them, happened in the thread (the full id).
    /// </summary>
    public static string? PlaceIdOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ThreadRootId is not { } root) return activity.Conversation?.Id;
        var onRoot = activity.Type is Activity.MessageReactionType or Activity.InvokeType || (activity.Type == Activity.MessageType && activity.ReplyToId is { Length: > 0 } && activity.Text is not { Length: > 0 })
            ? root == activity.ReplyToId
            : root == activity.Id;
        return onRoot ? activity.ChannelConversationId : activity.Conversation?.Id;
    }

    private ActivityTranslation Message(Activity activity, PlaceRef place)
    {
        var (text, mentioned) = WithoutBotMention(activity);
        var user = User(activity.From!);
        if (text.Length == 0)
        {
            return activity.Value is { ValueKind: JsonValueKind.Object } data && Text(data, "verb") is { } verb
                ? CardAction(activity, place, user, verb, data)
                : ActivityTranslation.Ignored;
        }

        var slashless = !CommandParser.LooksLikeCommand(text) && (mentioned || activity.IsPersonal) && StartsWithCommandName(text);
        if (CommandParser.LooksLikeCommand(text) || slashless)
        {
            if (CommandParser.TryParse(slashless ? "/" + text : text, out var command, out var error))
            {
                return ActivityTranslation.Of(new CommandInvoked(place, user, command));
            }
            // Someone writing "help me with this lead" in a thread meant a comment, not a command.
            if (!slashless || !(activity.IsPersonal || activity.IsThreadReply)) return new ActivityTranslation([], place, ChatReply.Private(error));
        }

        var messageId = activity.Id ?? "";
        if (activity.IsPersonal) return ActivityTranslation.Of(new DirectMessagePosted(place, user, messageId, text));
        return activity.IsThreadReply
            ? ActivityTranslation.Of(new ThreadMessagePosted(place, user, messageId, text))
            : ActivityTranslation.Ignored;
    }

    /// <summary>
    /// Teams' <c>messageUpdate</c>: someone changed a message TeamBot received, e.g. a stand-up answer in a personal chat or
    /// a thread. The text is read as a message's is (the bot's mention removed); commands are not run again.
    /// </summary>
    private ActivityTranslation Edited(Activity activity, PlaceRef place)
    {
        if (activity.Id is not { Length: > 0 } messageId || !(activity.IsPersonal || activity.IsThreadReply)) return ActivityTranslation.Ignored;
        var (text, _) = WithoutBotMention(activity);
        return text.Length == 0 || CommandParser.LooksLikeCommand(text) || StartsWithCommandName(text)
            ? ActivityTranslation.Ignored
            : ActivityTranslation.Of(new MessageEdited(place, User(activity.From!), messageId, text));
    }

    private ActivityTranslation Reactions(Activity activity, PlaceRef place)
    {
        if (activity.ReplyToId is not { Length: > 0 } reactedTo) return ActivityTranslation.Ignored;
        var message = new MessageRef(place.Platform, place.Workspace, place.Id, reactedTo);
        var user = User(activity.From!);
        var events = (activity.ReactionsRemoved ?? []).Select(r => (r.Type, Added: false))
            .Concat((activity.ReactionsAdded ?? []).Select(r => (r.Type, Added: true)))
            .Where(r => !string.IsNullOrWhiteSpace(r.Type))
            .Select(r => (ChatEvent)new ReactionChanged(message, user, TeamsReactions.ToEmoji(r.Type!), r.Added))
            .ToList();
        return events.Count == 0 ? ActivityTranslation.Ignored : new ActivityTranslation(events);
    }

    /// <summary>The invoke's <c>value</c> is <c>{action: {type: "Action.Execute", verb, data}, trigger}</c>.</summary>
    private ActivityTranslation ExecuteAction(Activity activity, PlaceRef place) =>
        ExecuteVerb(activity, out var action) is { } verb
            ? CardAction(activity, place, User(activity.From!), verb, action.TryGetProperty("data", out var data) ? data : default)
            : ActivityTranslation.Ignored;

    /// <summary>The <c>verb</c> of an <c>adaptiveCard/action</c> invoke (<c>value.action.verb</c>), or null when it names none.</summary>
    public static string? ExecuteVerb(Activity activity, out JsonElement action)
    {
        ArgumentNullException.ThrowIfNull(activity);
        action = default;
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var found) || found.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        action = found;
        return Text(found, "verb");
    }

    private static ActivityTranslation CardAction(Activity activity, PlaceRef place, ChatUser user, string verb, JsonElement data)
    {
        if (activity.ReplyToId is not { Length: > 0 } actedOn) return ActivityTranslation.Ignored;
        var message = new MessageRef(place.Platform, place.Workspace, place.Id, actedOn);
        return ActivityTranslation.Of(new CardActionInvoked(message, user, verb, ActionValue(data)));
    }

    /// <summary><c>data.value</c>, with <c>:input</c> after it when text was typed; null when the data carries neither.</summary>
    public static string? ActionValue(JsonElement data)
    {
        var value = Scalar(data, "value");
        var input = Scalar(data, "input")?.Trim();
        return string.IsNullOrEmpty(input) ? value : $"{value}:{input}";
    }

    private ActivityTranslation Members(Activity activity, PlaceRef place)
    {
        var bot = activity.Recipient;
        bool IsThisBot(ChannelAccount member) => member.Id is { Length: > 0 } id && (id == bot?.Id || id == settings.BotId);
        var joined = (activity.MembersAdded ?? []).Any(IsThisBot);
        var left = (activity.MembersRemoved ?? []).Any(IsThisBot);
        if (joined == left) return ActivityTranslation.Ignored;

        var botUser = new ChatUser(bot?.Id ?? settings.BotId ?? "", bot?.Name ?? "", IsBot: true);
        return ActivityTranslation.Of(new MemberChanged(place, botUser, joined));
    }

    /// <summary>The text with the first occurrence of each of the bot's mention fragments removed, trimmed.</summary>
    private (string Text, bool Mentioned) WithoutBotMention(Activity activity)
    {
        var text = activity.Text ?? "";
        var mentioned = false;
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity.Type != "mention" || entity.Text is not { Length: > 0 } fragment || entity.Mentioned?.Id is not { Length: > 0 } id) continue;
            if (id != activity.Recipient?.Id && id != settings.BotId) continue;
            var at = text.IndexOf(fragment, StringComparison.Ordinal);
            if (at < 0) continue;
            text = text.Remove(at, fragment.Length);
            mentioned = true;
        }
        return (text.Trim(), mentioned);
    }

    private static bool StartsWithCommandName(string text)
    {
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return CommandCatalog.Named(text[..end]).Count > 0;
    }

    private bool IsBot(ChannelAccount account, Activity activity) =>
        string.Equals(account.Role, "bot", StringComparison.OrdinalIgnoreCase) || account.Id == settings.BotId || account.Id == activity.Recipient?.Id;

    private ChatUser User(ChannelAccount account) =>
        new(account.Id!, account.Name ?? "", settings.RolesOf(account), Email: account.Email);

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string? Scalar(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }
}
