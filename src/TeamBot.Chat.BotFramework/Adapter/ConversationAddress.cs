using System.Text.Json;
using TeamBot.Chat.BotFramework.Activities;

namespace TeamBot.Chat.BotFramework.Adapter;

/// <summary>
/// A conversation reference (PROTOCOLS B7): everything needed to write to a conversation later without an activity to
/// answer. Kept in Core's <c>IChatAddressStore</c> as JSON, and only ever taken from activities whose channel token was valid
/// (or, without an app id, from local development tools).
/// </summary>
public sealed record ConversationAddress(
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string? BotId,
    string? BotName,
    bool Authenticated = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsChannel => ConversationType == "channel";

    /// <param name="activity">The activity that arrived.</param>
    /// <param name="conversationId">The conversation to remember (a Teams channel without <c>;messageid=</c>).</param>
    /// <param name="authenticated">Whether a channel token vouched for the activity's service URL (false in development mode,
    /// whose references are never trusted with the bot's token later).</param>
    public static ConversationAddress Of(Activity activity, string conversationId, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new ConversationAddress(activity.ServiceUrl!, activity.ChannelId ?? "", conversationId, activity.Conversation?.ConversationType,
            activity.TenantId, activity.Recipient?.Id, activity.Recipient?.Name, authenticated);
    }

    public string ToText() => JsonSerializer.Serialize(this, Json);

    public static ConversationAddress? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<ConversationAddress>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The same service, tenant and bot, for another conversation.</summary>
    public ConversationAddress For(string conversationId, string? conversationType) =>
        this with { ConversationId = conversationId, ConversationType = conversationType };
}
