namespace TeamBot.Chat.Discord;

/// <summary>Discord connection settings. Bound from <c>Discord</c>; with no token, Discord stays off.</summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";

    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>The bot token (environment variable <c>Discord__Token</c>). Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>The REST base, including the API version; tests and Discord-compatible servers change it.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The gateway to connect to; empty means the URL that <c>GET /gateway/bot</c> returns.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>How many shards this bot runs; empty means Discord's recommended count.</summary>
    public int? ShardCount { get; set; }

    /// <summary>Asks for the privileged MESSAGE_CONTENT intent (it must be enabled in the Developer Portal).</summary>
    public bool MessageContent { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    /// <summary>Every problem with these settings, each naming its key. Empty when they can be used.</summary>
    public static IEnumerable<string> Validate(DiscordOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Token is { } token && token.Length > 0)
        {
            if (token.Trim() != token || token.Any(char.IsWhiteSpace))
            {
                yield return "Discord:Token must not contain spaces or line breaks.";
            }
            if (token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
            {
                yield return "Discord:Token must be the bare token, without the \"Bot \" prefix.";
            }
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"Discord:ApiBaseUrl must be an absolute http(s) URL such as {DefaultApiBaseUrl} (got '{o.ApiBaseUrl}').";
        }
        else if (!api.AbsolutePath.TrimEnd('/').EndsWith("/v10", StringComparison.Ordinal))
        {
            yield return $"Discord:ApiBaseUrl must end with the API version /v10, e.g. {DefaultApiBaseUrl} (got '{o.ApiBaseUrl}').";
        }
        if (!string.IsNullOrWhiteSpace(o.GatewayUrl)
            && (!Uri.TryCreate(o.GatewayUrl, UriKind.Absolute, out var gateway) || (gateway.Scheme != "wss" && gateway.Scheme != "ws")))
        {
            yield return $"Discord:GatewayUrl must be an absolute ws(s) URL such as wss://gateway.discord.gg, or empty to discover it (got '{o.GatewayUrl}').";
        }
        if (o.ShardCount is < 1)
        {
            yield return $"Discord:ShardCount must be at least 1, or empty for Discord's recommended count (got {o.ShardCount}).";
        }
    }
}
