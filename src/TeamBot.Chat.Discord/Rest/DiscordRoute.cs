namespace TeamBot.Chat.Discord.Rest;

/// <summary>
/// One REST call: its method, the route template that names its rate-limit bucket (ids replaced by names, so it is
/// safe to log), the concrete path, and the major parameter (channel, guild or webhook) that splits the bucket.
/// </summary>
internal sealed record DiscordRoute(HttpMethod Method, string Template, string Path, string Major, bool GlobalExempt = false)
{
    /// <summary>A webhook or interaction route: the token in its URL, not the bot token, is what Discord checks.</summary>
    public bool UrlToken => Major.StartsWith("webhook:", StringComparison.Ordinal);

    public string Name => $"{Method.Method} {Template}";

    public static DiscordRoute Channel(HttpMethod method, ulong channelId, string template, string path) =>
        new(method, "/channels/{channel_id}" + template, $"/channels/{channelId}{path}", $"channel:{channelId}");

    public static DiscordRoute Guild(HttpMethod method, ulong guildId, string template, string path) =>
        new(method, template, path, $"guild:{guildId}");

    /// <summary>Interaction callbacks and webhook-token routes: exempt from the global limit, split by interaction token.</summary>
    public static DiscordRoute Webhook(HttpMethod method, string template, string path, ulong webhookId, string token) =>
        new(method, template, path, $"webhook:{webhookId}:{token}", GlobalExempt: true);

    public static DiscordRoute Top(HttpMethod method, string template) => new(method, template, template, "");
}
