using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TeamBot.Chat.BotFramework.Connector;

/// <summary>
/// An activity the bot sends through the Connector API. The channel sets <c>id</c>, <c>timestamp</c> and
/// <c>serviceUrl</c>, so they are not here. Null members are left out of the JSON.
/// </summary>
public sealed record OutgoingActivity
{
    /// <summary>Set only when updating: the id of the activity being replaced (PUT sends the full activity).</summary>
    public string? Id { get; init; }

    /// <summary><c>message</c> for text and cards; <c>typing</c> for a typing indicator.</summary>
    public string Type { get; init; } = "message";

    public string? Text { get; init; }

    /// <summary><c>plain</c> (the channel's default), <c>markdown</c> or <c>xml</c>.</summary>
    public string? TextFormat { get; init; }

    public IReadOnlyList<ConnectorAttachment>? Attachments { get; init; }

    /// <summary>Mention entities: <c>{type: "mention", mentioned: {id, name}, text: "&lt;at&gt;Name&lt;/at&gt;"}</c>.</summary>
    public IReadOnlyList<JsonObject>? Entities { get; init; }

    public string? ReplyToId { get; init; }

    public ConnectorConversation? Conversation { get; init; }

    public ConnectorAccount? From { get; init; }

    public ConnectorAccount? Recipient { get; init; }

    public JsonObject? ChannelData { get; init; }
}

/// <summary>An attachment: an Adaptive Card is <c>application/vnd.microsoft.card.adaptive</c> with the card as <see cref="Content"/>.</summary>
public sealed record ConnectorAttachment(string ContentType, JsonNode? Content = null, string? ContentUrl = null, string? Name = null);

/// <summary>A user or bot: Teams users are <c>29:…</c>, the bot is <c>28:&lt;appId&gt;</c>.</summary>
public sealed record ConnectorAccount(string Id, string? Name = null, string? AadObjectId = null);

public sealed record ConnectorConversation(string Id, bool? IsGroup = null, string? ConversationType = null, string? TenantId = null);

/// <summary>What send and reply return. Teams returns no id for a message that has both text and an attachment.</summary>
public sealed record ResourceResponse(string? Id);

/// <summary>
/// The body of POST /v3/conversations. For a Teams 1:1 chat: the bot, one member (the user's <c>29:</c> id),
/// <c>IsGroup = false</c>, and the tenant both as <see cref="TenantId"/> and in <c>channelData.tenant.id</c>.
/// </summary>
public sealed record ConversationParameters(
    ConnectorAccount Bot,
    IReadOnlyList<ConnectorAccount> Members,
    bool IsGroup = false,
    string? TenantId = null,
    OutgoingActivity? Activity = null,
    JsonObject? ChannelData = null)
{
    /// <summary>A proactive 1:1 chat with <paramref name="user"/> in Teams.</summary>
    public static ConversationParameters TeamsDirect(ConnectorAccount bot, ConnectorAccount user, string tenantId) =>
        new(bot, [user], IsGroup: false, TenantId: tenantId,
            ChannelData: new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } });
}

/// <summary>What POST /v3/conversations returns: the new conversation's id, and the first activity's when one was sent.</summary>
public sealed record ConversationResourceResponse(string Id, string? ActivityId = null, string? ServiceUrl = null);

/// <summary>The JSON shape of the Connector API: camelCase, nulls left out.</summary>
internal static class ConnectorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
