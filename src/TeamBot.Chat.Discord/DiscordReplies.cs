using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// A <see cref="ChatReply"/> as the first answer to an interaction: a message in the channel (callback type 4), ephemeral
/// (flag 64) when the reply is private. The body comes from <see cref="DiscordCards.ToBody"/>, so it is literal, cut to
/// Discord's limits, and its <c>allowed_mentions</c> parse nothing (only the reply's notified users are pinged).
/// </summary>
public static class DiscordReplies
{
    public const int EphemeralFlag = 64;

    public static InteractionResponse ToCallback(ChatReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var body = DiscordCards.ToBody(reply.Message);
        return new InteractionResponse(
            InteractionCallbackType.ChannelMessageWithSource,
            body with { Flags = reply.Visibility == ReplyVisibility.Private ? EphemeralFlag : null });
    }
}
