using System.Globalization;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;

namespace TeamBot.Chat.Discord;

/// <summary>
/// Reads who reacts to a Discord message, for <see cref="ReactionReconciler"/>: normal and super (burst) reactions
/// together, since a super reaction is still a reaction, every page of each. The emoji is a Unicode emoji, or a custom
/// one as <c>name:id</c> or <c>&lt;:name:id&gt;</c>; one Discord does not know has no reactors. Failures come back as <see cref="ChatPlatformException"/>s, as
/// <see cref="DiscordChatPlatform"/>'s do.
/// </summary>
/// <param name="rest">The REST client.</param>
/// <param name="botUserId">The bot's own user id (known once the gateway is READY): its reactions are marked as the bot's.</param>
public sealed class DiscordReactionReader(DiscordRestClient rest, Func<ulong> botUserId) : IReactionReader
{
    public Task<IReadOnlyList<ChatUser>> ReadAsync(MessageRef message, string emoji, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (channel, id) = (DiscordChatPlatform.Id(message.PlaceId, "channel"), DiscordChatPlatform.Id(message.MessageId, "message"));
        var parsed = DiscordChatPlatform.Emoji(emoji);
        return DiscordChatPlatform.Call(DiscordChatPlatform.Operation.ReadReactions, message.PlaceId, async () =>
        {
            var normal = await ReadAsync(channel, id, parsed, ReactionType.Normal, ct).ConfigureAwait(false);
            var burst = await ReadAsync(channel, id, parsed, ReactionType.Burst, ct).ConfigureAwait(false);
            var bot = botUserId();
            return (IReadOnlyList<ChatUser>)normal.Concat(burst)
                .DistinctBy(u => u.Id)
                .Select(u => new ChatUser(u.Id.ToString(CultureInfo.InvariantCulture), DiscordInbound.DisplayName(null, u), Roles: null, IsBot: u.Bot || u.Id == bot))
                .ToList();
        }, ct);
    }

    /// <summary>Discord error code: "Unknown Emoji".</summary>
    private const int UnknownEmoji = 10014;

    /// <summary>Nobody reacts with an emoji Discord does not know (such as a skin tone on one that takes none).</summary>
    private async Task<IReadOnlyList<DiscordUser>> ReadAsync(ulong channel, ulong message, DiscordEmoji emoji, ReactionType type, CancellationToken ct)
    {
        try
        {
            return await rest.GetReactionsAsync(channel, message, emoji, type, ct).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownEmoji)
        {
            return [];
        }
    }
}
