using System.Text.Json;

namespace TeamBot.Chat.BotFramework.Activities;

/// <summary>A person, bot or the channel itself as an activity names it: Teams users are <c>29:…</c>, the bot <c>28:&lt;appId&gt;</c>.</summary>
/// <param name="Id">The channel's id for the account.</param>
/// <param name="Name">The display name.</param>
/// <param name="AadObjectId">The Entra object id (Teams users), the stable id that role lists name.</param>
/// <param name="Role"><c>user</c> or <c>bot</c> when the channel says.</param>
/// <param name="Email">Sent by some channels, and by Teams only in member lists; used for role lists when present.</param>
/// <param name="UserPrincipalName">Teams' sign-in name, present in member lists; used for role lists when present.</param>
public sealed record ChannelAccount(string? Id, string? Name = null, string? AadObjectId = null, string? Role = null,
    string? Email = null, string? UserPrincipalName = null);

/// <summary>
/// A conversation: Teams types are <c>personal</c>, <c>groupChat</c> and <c>channel</c>. The id is opaque; a reply in a
/// channel thread has an id ending in <c>;messageid=&lt;root&gt;</c>.
/// </summary>
public sealed record ConversationAccount(string? Id, string? ConversationType = null, string? TenantId = null, bool? IsGroup = null,
    string? Name = null);

/// <summary>An entity attached to an activity; only <c>mention</c> entities (<see cref="Mentioned"/> and the <c>&lt;at&gt;</c> <see cref="Text"/>) are read.</summary>
public sealed record ActivityEntity(string? Type, ChannelAccount? Mentioned = null, string? Text = null);

/// <summary>One Teams reaction: <c>like</c>, <c>heart</c>, <c>laugh</c>, <c>surprised</c>, <c>sad</c>, <c>angry</c>, ….</summary>
public sealed record MessageReaction(string? Type);

/// <summary>
/// An inbound Bot Framework activity, as much of it as TeamBot reads (PROTOCOLS B2). Unknown fields and types are
/// tolerated. Read it with <see cref="TryParse"/>; nothing here is trusted beyond its shape (the channel token is checked
/// before, by the endpoint).
/// </summary>
public sealed record Activity
{
    /// <summary>
    /// The longest <c>text</c> accepted. Teams caps a whole message at about 100 KB of UTF-16 and older clients at 28 KB;
    /// nothing a person types to TeamBot (a command, a comment, a reason) comes close, so longer text is refused.
    /// </summary>
    public const int MaxTextLength = 40_000;

    public const string MessageType = "message";
    public const string ConversationUpdateType = "conversationUpdate";
    public const string MessageReactionType = "messageReaction";
    public const string InvokeType = "invoke";
    public const string InstallationUpdateType = "installationUpdate";
    public const string MessageUpdateType = "messageUpdate";
    public const string MessageDeleteType = "messageDelete";

    /// <summary>The types that TeamBot answers or remembers, so they must say where to answer: a conversation id and a serviceUrl.</summary>
    private static readonly HashSet<string> Addressed = new(StringComparer.Ordinal)
    {
        MessageType, ConversationUpdateType, MessageReactionType, InvokeType, InstallationUpdateType, MessageUpdateType, MessageDeleteType,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Type { get; init; } = "";
    public string? Id { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }

    /// <summary><c>msteams</c>, <c>slack</c>, <c>webchat</c>, <c>directline</c>, <c>emulator</c>, ….</summary>
    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? Text { get; init; }

    /// <summary><c>plain</c> (the default), <c>markdown</c> or <c>xml</c>.</summary>
    public string? TextFormat { get; init; }

    public IReadOnlyList<ActivityEntity>? Entities { get; init; }

    /// <summary>The message answered; for a reaction or a card action, the message reacted to or acted on.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>An invoke's payload, or the data of a legacy Action.Submit.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>An invoke's name, e.g. <c>adaptiveCard/action</c>.</summary>
    public string? Name { get; init; }

    /// <summary>An installationUpdate's <c>add</c> or <c>remove</c>.</summary>
    public string? Action { get; init; }

    public IReadOnlyList<MessageReaction>? ReactionsAdded { get; init; }
    public IReadOnlyList<MessageReaction>? ReactionsRemoved { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }

    /// <summary>Channel-specific data; for Teams <c>tenant.id</c>, <c>team.id</c>, <c>channel.id</c>, <c>eventType</c>.</summary>
    public JsonElement? ChannelData { get; init; }

    /// <summary>The Teams team the activity happened in (<c>channelData.team.id</c>), or null outside a team.</summary>
    public string? TeamId => ChannelDataId("team");

    /// <summary>The Teams channel (<c>channelData.channel.id</c>), or null outside a channel.</summary>
    public string? TeamsChannelId => ChannelDataId("channel");

    /// <summary>The Entra tenant: <c>conversation.tenantId</c>, else <c>channelData.tenant.id</c>.</summary>
    public string? TenantId => Conversation?.TenantId is { Length: > 0 } tenant ? tenant : ChannelDataId("tenant");

    /// <summary>
    /// A one-to-one conversation with the bot: Teams says <c>personal</c>; channels that name no type (Web Chat, Direct
    /// Line, the Emulator) count as personal unless they say <c>isGroup</c>.
    /// </summary>
    public bool IsPersonal => Conversation?.ConversationType is { } type
        ? type == "personal"
        : Conversation?.IsGroup != true;

    /// <summary>
    /// The root message of the Teams channel thread the activity happened in: the <c>;messageid=</c> part of the conversation
    /// id, which Teams adds to every activity in a channel. Null elsewhere.
    /// </summary>
    public string? ThreadRootId => SplitThread(Conversation?.Id).Root;

    /// <summary>The conversation id without <c>;messageid=…</c>: the channel itself.</summary>
    public string? ChannelConversationId => SplitThread(Conversation?.Id).Channel;

    /// <summary>
    /// A reply in a Teams channel thread. A new post in a channel also carries <c>;messageid=</c> (its own id), so only an
    /// activity whose id differs from the thread's root is a reply.
    /// </summary>
    public bool IsThreadReply => ThreadRootId is { } root && root != Id;

    /// <summary>Splits <c>19:…@thread.tacv2;messageid=123</c> into the channel's conversation id and the root message id.</summary>
    public static (string? Channel, string? Root) SplitThread(string? conversationId)
    {
        const string Marker = ";messageid=";
        if (conversationId is null) return (null, null);
        var at = conversationId.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? (conversationId, null) : (conversationId[..at], conversationId[(at + Marker.Length)..]);
    }

    /// <summary>
    /// Reads an activity from a request body. False, with an error that says what is wrong, when the body is not JSON, not
    /// an object, has no type, has a field of the wrong shape, lacks the conversation id or serviceUrl that its type needs
    /// for an answer, or carries text longer than <see cref="MaxTextLength"/>.
    /// </summary>
    public static bool TryParse(string json, out Activity activity, out string error)
    {
        activity = null!;
        error = "";
        JsonDocument document;
        try
        {
            // A property given twice is refused: which of the two counts would be a guess (the last one, silently).
            document = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            var duplicate = e.Message.StartsWith("Duplicate", StringComparison.Ordinal) ? $": {e.Message.Split(" Path:")[0].TrimEnd('.')}" : "";
            error = $"The activity is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}){duplicate}.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"The activity must be a JSON object, not {Describe(root.ValueKind)}.";
                return false;
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 })
            {
                error = "The activity has no type (a non-empty string such as \"message\").";
                return false;
            }

            try
            {
                activity = root.Deserialize<Activity>(Json)!;
            }
            catch (JsonException e)
            {
                error = $"The activity's field {e.Path ?? "$"} has the wrong shape.";
                return false;
            }
        }

        if (Addressed.Contains(activity.Type))
        {
            if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
            {
                error = $"An activity of type {activity.Type} needs conversation.id.";
                return false;
            }
            if (string.IsNullOrWhiteSpace(activity.ServiceUrl))
            {
                error = $"An activity of type {activity.Type} needs serviceUrl.";
                return false;
            }
        }
        if (activity.Text is { Length: > MaxTextLength } text)
        {
            error = $"The activity's text is {text.Length} characters long; at most {MaxTextLength} are accepted.";
            return false;
        }
        return true;
    }

    private string? ChannelDataId(string name) =>
        ChannelData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty(name, out var part) && part.ValueKind == JsonValueKind.Object
        && part.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value
            ? value
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
