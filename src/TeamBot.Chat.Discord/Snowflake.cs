namespace TeamBot.Chat.Discord;

/// <summary>Discord ids: 64-bit numbers sent as JSON strings, with a millisecond timestamp in the top 42 bits.</summary>
public static class Snowflake
{
    /// <summary>The first second of 2015, in Unix milliseconds.</summary>
    public const long DiscordEpochMs = 1_420_070_400_000;

    public static DateTimeOffset Timestamp(ulong id) => DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMs);

    /// <summary>The smallest id created at <paramref name="at"/>; a pagination cursor.</summary>
    public static ulong AtTime(DateTimeOffset at) => (ulong)(at.ToUnixTimeMilliseconds() - DiscordEpochMs) << 22;

    /// <summary>The shard that receives a guild's events. Direct messages go to shard 0.</summary>
    /// <summary>A Discord id written as decimal digits (no sign, no spaces), greater than zero.</summary>
    public static bool TryParse(string? text, out ulong id)
    {
        id = 0;
        return !string.IsNullOrEmpty(text) && ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;
    }

    public static int ShardFor(ulong guildId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return (int)((guildId >> 22) % (ulong)shardCount);
    }
}

/// <summary>The gateway intents TeamBot asks for.</summary>
[Flags]
public enum GatewayIntents
{
    None = 0,
    /// <summary>GUILD_CREATE and channel/role changes: which guilds and channels the bot is in.</summary>
    Guilds = 1 << 0,
    /// <summary>MESSAGE_CREATE in guild channels and threads: thread replies to handoffs.</summary>
    GuildMessages = 1 << 9,
    /// <summary>MESSAGE_REACTION_ADD/REMOVE in guilds: ratings and claims by reaction.</summary>
    GuildMessageReactions = 1 << 10,
    /// <summary>MESSAGE_CREATE in DMs: stand-up answers and private commands.</summary>
    DirectMessages = 1 << 12,
    /// <summary>Reactions in DMs; TeamBot does not need them.</summary>
    DirectMessageReactions = 1 << 13,
    /// <summary>Privileged: message text outside DMs and mentions. Only when configured.</summary>
    MessageContent = 1 << 15,
}

public static class TeamBotIntents
{
    /// <summary>5633 without message content, 38401 with it.</summary>
    public static GatewayIntents For(bool messageContent)
    {
        var intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.GuildMessageReactions | GatewayIntents.DirectMessages;
        return messageContent ? intents | GatewayIntents.MessageContent : intents;
    }
}
