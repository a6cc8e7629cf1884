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

    /// <summary>The time zone of a guild's workspace when neither the guild's section nor the stored workspace names one.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary><c>Discord:Guilds:&lt;guildId&gt;</c>: channels, webhook key and role mapping per guild (each guild is the workspace <c>discord-&lt;guildId&gt;</c>).</summary>
    public Dictionary<string, DiscordGuildOptions> Guilds { get; set; } = new(StringComparer.Ordinal);

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
        if (!KnownZone(o.TimeZone)) yield return $"Discord:TimeZone must be an IANA time zone such as Europe/Berlin (got '{o.TimeZone}').";
        foreach (var (key, guild) in o.Guilds)
        {
            var at = $"Discord:Guilds:{key}";
            if (!Snowflake.TryParse(key, out _)) yield return $"{at}: '{key}' is not a Discord server (guild) id; copy it with Developer Mode on (right-click the server, Copy Server ID).";
            foreach (var (name, value) in new[] { ("HandoffsChannel", guild.HandoffsChannel), ("MarketingChannel", guild.MarketingChannel), ("GeneralChannel", guild.GeneralChannel) })
            {
                if (!string.IsNullOrWhiteSpace(value) && !Snowflake.TryParse(value.Trim(), out _)) yield return $"{at}:{name}: '{value}' is not a Discord channel id.";
            }
            if (guild.ApiKey is { Length: > 0 and < 16 }) yield return $"{at}:ApiKey must be at least 16 characters: webhook keys should not be guessable.";
            if (guild.TimeZone is { Length: > 0 } zone && !KnownZone(zone)) yield return $"{at}:TimeZone must be an IANA time zone such as Europe/Berlin (got '{zone}').";
            foreach (var (name, value) in new[] { ("Sales", guild.Roles.Sales), ("Marketing", guild.Roles.Marketing), ("Admin", guild.Roles.Admin) })
            {
                if (!DiscordGuildOptions.TryParseRoleIds(value, out _)) yield return $"{at}:Roles:{name}: '{value}' is not a list of Discord role ids (separate several with commas).";
            }
        }
    }

    private static bool KnownZone(string? zone) => !string.IsNullOrWhiteSpace(zone) && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _);
}

/// <summary>One guild's settings: <c>Discord:Guilds:&lt;guildId&gt;:*</c>. Empty values leave what <c>/setup</c> stored.</summary>
public sealed class DiscordGuildOptions
{
    /// <summary>Channel id where handoffs are posted.</summary>
    public string? HandoffsChannel { get; set; }

    /// <summary>Channel id for marketing notices (rejection alerts, digests by default).</summary>
    public string? MarketingChannel { get; set; }

    /// <summary>Channel id for everyone (stand-ups and digests by default).</summary>
    public string? GeneralChannel { get; set; }

    /// <summary>This guild's webhook key, for <c>/api/v1/workspaces/discord-&lt;guildId&gt;/leads</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The workspace's time zone (IANA), for schedules and working hours.</summary>
    public string? TimeZone { get; set; }

    public DiscordRoleOptions Roles { get; set; } = new();

    /// <summary>Role ids as Discord shows them (several separated by commas or spaces; a role mention <c>&lt;@&amp;id&gt;</c> works too).</summary>
    public static bool TryParseRoleIds(string? text, out IReadOnlyList<ulong> ids)
    {
        var found = new List<ulong>();
        ids = found;
        if (string.IsNullOrWhiteSpace(text)) return true;
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var bare = part.StartsWith("<@&", StringComparison.Ordinal) && part.EndsWith('>') ? part[3..^1] : part;
            if (!Snowflake.TryParse(bare, out var id)) return false;
            found.Add(id);
        }
        return true;
    }
}

/// <summary>Discord role ids that make a member a TeamBot sales rep, marketer or admin. Guild administrators are always admins.</summary>
public sealed class DiscordRoleOptions
{
    public string? Sales { get; set; }
    public string? Marketing { get; set; }
    public string? Admin { get; set; }
}
