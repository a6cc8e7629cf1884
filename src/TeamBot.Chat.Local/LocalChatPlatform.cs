using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Local;

/// <summary>
/// The built-in chat platform: what TeamBot posts is stored in the local chat's own database and shown by its
/// web page. Places are channel names, <c>thread-&lt;root id&gt;</c> for threads and <c>@&lt;person&gt;</c> for
/// direct messages with the bot.
/// </summary>
public sealed class LocalChatPlatform(
    LocalChatStore store,
    LocalChatEvents events,
    LocalChatDirectory directory,
    IServiceScopeFactory scopes,
    TimeProvider clock) : IChatPlatform
{
    public const int MaxTextLength = 4000;

    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public string Name => LocalChatOptions.Platform;

    /// <summary>The configured channels (not people's direct messages, not threads).</summary>
    public Task<IReadOnlyList<ChatChannel>?> ListChannelsAsync(string workspace, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChatChannel>?>([.. directory.Channels.Select(c => new ChatChannel(c, c))]);

    public PostingPace PaceFor(PlaceRef place) => directory.Pace;

    public Task<MessageRef> PostAsync(PlaceRef place, OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        var posted = Post(place, message, idempotencyKey, command: null);
        return Task.FromResult(new MessageRef(Name, place.Workspace, place.Id, posted.Id.ToString(CultureInfo.InvariantCulture)));
    }

    public Task UpdateAsync(MessageRef target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var id = ParseId(target.MessageId);
        var existing = store.Get(id) ?? throw new ChatPlatformException($"Local message {id} does not exist.", transient: false);
        message = MessageLimits.Local.Fit(message);
        store.Update(id, message.Text, CardJson(message.Card), NotifyJson(message.Mentions), clock.GetUtcNow(), message.Card is { } card ? Controls(card) : null);
        events.Publish(new LocalChatEvent("message.updated", existing.Channel, target.MessageId, existing.ThreadOf?.ToString(CultureInfo.InvariantCulture)));
        return Task.CompletedTask;
    }

    public Task<PlaceRef> OpenThreadAsync(MessageRef root, string name, CancellationToken cancellationToken) =>
        Task.FromResult(new PlaceRef(Name, root.Workspace, LocalPlaces.Thread(ParseId(root.MessageId))));

    public Task<PlaceRef> OpenDirectAsync(string workspace, string userId, CancellationToken cancellationToken) =>
        Task.FromResult(new PlaceRef(Name, workspace, LocalPlaces.Direct(userId)));

    public async Task AddReactionAsync(MessageRef message, string emoji, CancellationToken cancellationToken)
    {
        var id = ParseId(message.MessageId);
        var target = store.Get(id) ?? throw new ChatPlatformException($"Local message {id} does not exist.", transient: false);
        if (!store.AddReaction(id, emoji, LocalChatOptions.BotId, directory.BotName, clock.GetUtcNow())) return;
        events.Publish(new LocalChatEvent("reaction.changed", target.Channel, message.MessageId, target.ThreadOf?.ToString(CultureInfo.InvariantCulture)));

        // Like a real platform, the bot's own reaction comes back as an event; TeamBot must ignore it.
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ChatInbox>().HandleAsync(
            new ReactionChanged(message, directory.Bot, emoji, Added: true), cancellationToken);
    }

    /// <summary>Stores a message from the bot and tells the open pages.</summary>
    internal LocalMessage Post(PlaceRef place, OutgoingMessage message, string? idempotencyKey, LocalCommandEcho? command)
    {
        var (channel, threadOf) = ResolvePlace(place.Id);
        message = MessageLimits.Local.Fit(message);
        var (posted, created) = store.Insert(new LocalMessage(
            0, channel, threadOf, LocalChatOptions.BotId, directory.BotName, IsBot: true,
            message.Text, CardJson(message.Card), NotifyJson(message.Mentions),
            command is null ? null : JsonSerializer.Serialize(command, Json),
            clock.GetUtcNow(), null), idempotencyKey, message.Card is { } card ? Controls(card) : null);
        if (created)
        {
            events.Publish(new LocalChatEvent("message.created", channel, posted.Id.ToString(CultureInfo.InvariantCulture), threadOf?.ToString(CultureInfo.InvariantCulture)));
        }
        return posted;
    }

    /// <summary>
    /// A card's controls as "id" plus the value it sends ("rate=5", "outcome=won"); a control that asks for
    /// text is marked "+" because the value it sends carries that text after a colon.
    /// </summary>
    internal static IEnumerable<string> Controls(ChatCard card) =>
        card.Actions.Select(a => Control(a.Id, a.Value, a.Input is not null))
            .Concat(card.Choices.SelectMany(c => c.Options.Select(o => Control(c.Id, o.Value, o.Input is not null))));

    internal static string Control(string id, string? value, bool takesInput) => $"{id}={value}{(takesInput ? "+" : "")}";

    /// <summary>The channel and thread root a place id stands for.</summary>
    internal (string Channel, long? ThreadOf) ResolvePlace(string placeId)
    {
        if (LocalPlaces.TryParseThread(placeId, out var rootId))
        {
            var root = store.Get(rootId) ?? throw new ChatPlatformException($"The thread root {rootId} does not exist.", transient: false);
            return (root.Channel, root.ThreadOf ?? root.Id);
        }
        if (!directory.IsChannel(placeId)) throw new ChatPlatformException($"The local chat has no channel '{placeId}'.", transient: false);
        return (placeId, null);
    }

    private static long ParseId(string messageId) =>
        long.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ChatPlatformException($"'{messageId}' is not a local message id.", transient: false);

    private static string? CardJson(ChatCard? card) => card is null ? null : JsonSerializer.Serialize(card, Json);

    private static string? NotifyJson(IReadOnlyList<Mention> mentions) =>
        mentions.Count == 0 ? null : JsonSerializer.Serialize(mentions.Select(m => new LocalPersonRef(m.UserId, m.DisplayName)), Json);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}

public sealed record LocalPersonRef(string Id, string Name);

/// <summary>Shown above a bot message that answers someone's command.</summary>
public sealed record LocalCommandEcho(LocalPersonRef User, string Text);

public static class LocalPlaces
{
    private const string ThreadPrefix = "thread-";

    public static string Thread(long rootId) => ThreadPrefix + rootId.ToString(CultureInfo.InvariantCulture);

    public static string Direct(string personId) => "@" + personId;

    public static bool TryParseThread(string placeId, out long rootId)
    {
        rootId = 0;
        return placeId.StartsWith(ThreadPrefix, StringComparison.Ordinal)
               && long.TryParse(placeId.AsSpan(ThreadPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out rootId);
    }

    /// <summary>The place of a stored message: its thread for a reply, its channel otherwise.</summary>
    public static string Of(LocalMessage message) => message.ThreadOf is { } root ? Thread(root) : message.Channel;
}
