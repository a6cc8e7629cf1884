using System.Globalization;
using System.Text.Json;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Local;

/// <summary>What the local chat's endpoints need, per request.</summary>
public sealed class LocalChatServices(
    LocalChatStore store,
    LocalChatEvents events,
    LocalChatDirectory directory,
    LocalChatPlatform platform,
    ChatInbox inbox,
    TimeProvider clock)
{
    public LocalChatStore Store => store;
    public LocalChatEvents Events => events;
    public LocalChatDirectory Directory => directory;
    public ChatInbox Inbox => inbox;
    public TimeProvider Clock => clock;

    /// <summary>Shows TeamBot's answer: a public one is posted where the person acted; a private one only returns to them.</summary>
    public LocalReplyDto? Deliver(ChatReply? reply, PlaceRef place, LocalCommandEcho? command)
    {
        if (reply is null) return null;
        if (reply.Visibility == ReplyVisibility.Public)
        {
            var posted = platform.Post(place, reply.Message, null, command);
            return new LocalReplyDto("public", ToDto(posted));
        }

        var (channel, threadOf) = platform.ResolvePlace(place.Id);
        var card = reply.Message.Card is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(reply.Message.Card, LocalChatPlatform.Json);
        var message = new LocalMessageDto(
            "private-" + Guid.NewGuid().ToString("N"), channel, threadOf?.ToString(CultureInfo.InvariantCulture),
            new LocalAuthorDto(LocalChatOptions.BotId, directory.BotName, true), reply.Message.Text,
            reply.Message.Mentions.Select(m => new LocalPersonRef(m.UserId, m.DisplayName)).ToList(),
            command, card, [], [], clock.GetUtcNow(), null);
        return new LocalReplyDto("private", message);
    }

    public LocalMessageDto ToDto(LocalMessage message) => ToDtos([message])[0];

    /// <summary>Top-level messages with their replies nested; a lone reply stays on its own.</summary>
    public IReadOnlyList<LocalMessageDto> ToDtos(IReadOnlyList<LocalMessage> messages)
    {
        var reactions = store.ReactionsFor(messages.Select(m => m.Id).ToList())
            .GroupBy(r => r.MessageId)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Emoji)
                .Select(e => new LocalReactionDto(e.Key, e.Select(r => new LocalPersonRef(r.UserId, r.UserName)).ToList()))
                .ToList());
        var ids = messages.Select(m => m.Id).ToHashSet();
        var replies = messages.Where(m => m.ThreadOf is { } root && ids.Contains(root)).ToLookup(m => m.ThreadOf!.Value);

        LocalMessageDto Map(LocalMessage m) => new(
            m.Id.ToString(CultureInfo.InvariantCulture),
            m.Channel,
            m.ThreadOf?.ToString(CultureInfo.InvariantCulture),
            new LocalAuthorDto(m.AuthorId, m.AuthorName, m.IsBot),
            m.Text,
            m.NotifyJson is null ? [] : JsonSerializer.Deserialize<List<LocalPersonRef>>(m.NotifyJson, LocalChatPlatform.Json)!,
            m.CommandJson is null ? null : JsonSerializer.Deserialize<LocalCommandEcho>(m.CommandJson, LocalChatPlatform.Json),
            m.CardJson is null ? null : JsonSerializer.Deserialize<JsonElement>(m.CardJson),
            reactions.GetValueOrDefault(m.Id) ?? [],
            replies[m.Id].Select(Map).ToList(),
            m.CreatedAt,
            m.EditedAt);

        return messages.Where(m => m.ThreadOf is null || !ids.Contains(m.ThreadOf.Value)).Select(Map).ToList();
    }
}
