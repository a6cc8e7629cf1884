using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Cards;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework.Adapter;

/// <summary>
/// The outbound half of the Bot Framework adapter for one channel (<c>teams</c>, <c>slack</c>, <c>webchat</c>, …): TeamBot's
/// chat intents as Connector API calls. A place is a conversation id; a Teams channel thread is the channel's id with
/// <c>;messageid=&lt;root&gt;</c>, which is also how Teams addresses a reply into that thread. The service URL, tenant and bot
/// of a place come from the conversation references that <see cref="BotFrameworkAddresses"/> keeps.
/// </summary>
public sealed partial class BotFrameworkChatPlatform(
    string name,
    ConnectorClient connector,
    BotFrameworkAddresses addresses,
    ILogger<BotFrameworkChatPlatform> logger) : IChatPlatform
{
    /// <summary>
    /// Teams allows a bot 7 messages per second, 8 per 2 s and 60 per 30 s in one conversation (PROTOCOLS B8): one post
    /// every half second keeps under all three. (Its 1,800 per hour binds only after 15 minutes of nonstop posting; the
    /// Connector client's backoff on 429 covers that.)
    /// </summary>
    public static PostingPace ConversationPace { get; } = new(1, TimeSpan.FromMilliseconds(500));

    public string Name => name;

    public PostingPace PaceFor(PlaceRef place) => ConversationPace;

    /// <summary>
    /// Sends the message as its activities (one for a card, more for a long text) and returns the first one's id. The
    /// Connector API has no idempotency key: a retry after a crash between the send and its record can post twice. A long
    /// text whose later part failed is not sent whole again: the parts the channel took are remembered under
    /// <paramref name="idempotencyKey"/> (in this process), and the outbox's retry sends only the rest.
    /// </summary>
    public Task<MessageRef> PostAsync(PlaceRef place, OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(message);
        return Call("post a message", place.Id, async () =>
        {
            var address = await addresses.ResolveAsync(place, cancellationToken).ConfigureAwait(false);
            var activities = TeamsMessages.Build(message);
            var sent = activities.Count > 1 && _partlySent.TryGetValue((place, idempotencyKey), out var earlier) && earlier.Length == activities.Count
                ? earlier
                : new string?[activities.Count];
            for (var i = 0; i < activities.Count; i++)
            {
                if (sent[i] is not null) continue;
                try
                {
                    sent[i] = (await connector.SendToConversationAsync(address.ServiceUrl, place.Id, Addressed(activities[i], address, place.Id), cancellationToken).ConfigureAwait(false)).Id;
                }
                catch when (i > 0)
                {
                    Remember((place, idempotencyKey), sent);
                    throw;
                }
            }
            _partlySent.TryRemove((place, idempotencyKey), out _);
            if (sent.Length == 0 || string.IsNullOrEmpty(sent[0]))
            {
                throw new ChatPlatformException($"The channel accepted a message in {place.Id} but returned no id for it.", transient: false);
            }
            return new MessageRef(Name, place.Workspace, place.Id, sent[0]!);
        }, cancellationToken);
    }

    /// <summary>Long texts the channel took only part of, by place and idempotency key: the ids of the parts sent, null for the rest.</summary>
    private readonly ConcurrentDictionary<(PlaceRef Place, string Key), string?[]> _partlySent = new();

    /// <summary>At most this many partly sent texts are remembered (each is a few ids); past it all are forgotten, which costs only the duplicates this avoids.</summary>
    private const int MaxPartlySent = 1000;

    private void Remember((PlaceRef Place, string Key) key, string?[] sent)
    {
        if (_partlySent.Count >= MaxPartlySent) _partlySent.Clear();
        _partlySent[key] = sent;
    }

    public Task UpdateAsync(MessageRef target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        return Call("update a message", target.PlaceId, async () =>
        {
            var address = await addresses.ResolveAsync(target.Place, cancellationToken).ConfigureAwait(false);
            var activity = Addressed(TeamsMessages.Update(message), address, target.PlaceId) with { Id = target.MessageId };
            await connector.UpdateActivityAsync(address.ServiceUrl, target.PlaceId, target.MessageId, activity, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>In a Teams channel, the thread under the message; elsewhere (personal and group chats have no threads) the conversation itself.</summary>
    public async Task<PlaceRef> OpenThreadAsync(MessageRef root, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var address = await Call("start a thread", root.PlaceId, () => addresses.ResolveAsync(root.Place, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!address.IsChannel) return root.Place;
        var channel = Activity.SplitThread(root.PlaceId).Channel ?? root.PlaceId;
        return new PlaceRef(Name, root.Workspace, $"{channel};messageid={root.MessageId}");
    }

    /// <summary>The personal chat with the user: the one TeamBot knows, else one created through the Connector (the app must be installed for the user or in a team they are in).</summary>
    public Task<PlaceRef> OpenDirectAsync(string workspace, string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Call("open a personal chat", "@" + userId, async () =>
        {
            if (await addresses.FindDirectAsync(Name, workspace, userId, cancellationToken).ConfigureAwait(false) is { } known)
            {
                // Teams has one personal chat per person and bot: the answer belongs to the workspace that asked last.
                var place = new PlaceRef(Name, workspace, known.ConversationId);
                await addresses.TouchAsync(place, known, cancellationToken).ConfigureAwait(false);
                return place;
            }
            var any = await addresses.ResolveAsync(new PlaceRef(Name, workspace, ""), cancellationToken).ConfigureAwait(false);
            if (any.BotId is not { Length: > 0 } botId)
            {
                throw new ChatPlatformException($"TeamBot does not know its own id in workspace {workspace} yet.", transient: false);
            }
            var parameters = any.TenantId is { Length: > 0 } tenant
                ? ConversationParameters.TeamsDirect(new ConnectorAccount(botId, any.BotName), new ConnectorAccount(userId), tenant)
                : new ConversationParameters(new ConnectorAccount(botId, any.BotName), [new ConnectorAccount(userId)]);
            var created = await connector.CreateConversationAsync(any.ServiceUrl, parameters, cancellationToken).ConfigureAwait(false);
            // The answer's serviceUrl is not taken: only an authenticated activity may name one.
            var direct = any.For(created.Id, "personal");
            await addresses.SaveDirectAsync(Name, workspace, userId, direct, cancellationToken).ConfigureAwait(false);
            return new PlaceRef(Name, workspace, created.Id);
        }, cancellationToken);
    }

    /// <summary>
    /// Does nothing: the Connector API has no documented way for a bot to react to a message (only Microsoft's preview
    /// Teams SDK uses one). People react themselves; TeamBot's cards carry buttons for the same choices.
    /// </summary>
    public Task AddReactionAsync(MessageRef message, string emoji, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        LogNoReaction(logger, emoji, message.MessageId);
        return Task.CompletedTask;
    }

    /// <summary>The activity as the Connector expects it: from the bot, in the conversation (PROTOCOLS B6).</summary>
    internal static OutgoingActivity Addressed(OutgoingActivity activity, ConversationAddress address, string conversationId) => activity with
    {
        From = address.BotId is { Length: > 0 } bot ? new ConnectorAccount(bot, address.BotName) : activity.From,
        Conversation = new ConnectorConversation(conversationId, TenantId: address.TenantId),
    };

    /// <summary>Runs Connector calls and turns their failures into <see cref="ChatPlatformException"/>s that say whether to retry.</summary>
    private static async Task<T> Call<T>(string verb, string place, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            var status = ex.Status;
            if (status is 429 or 412 || status >= 500)
            {
                throw new ChatPlatformException($"The channel could not {verb} in {place} right now ({status}); TeamBot will retry.", transient: true, inner: ex);
            }
            var reason = status switch
            {
                403 when ex.WritesBlocked => "the person blocked TeamBot or removed the app",
                403 => "TeamBot is not allowed there (is the app installed in that team or chat?)",
                404 => "the conversation or message no longer exists",
                413 => "the message is too big for the channel",
                401 => "the channel refused TeamBot's token (check BotFramework:AppId, AppPassword and TenantId)",
                _ => $"the channel answered {status}",
            };
            throw new ChatPlatformException($"TeamBot could not {verb} in {place}: {reason}.", transient: false, inner: ex);
        }
        catch (BotTokenException ex)
        {
            var transient = ex.Status is 0 or 429 || ex.Status >= 500;
            throw new ChatPlatformException($"TeamBot could not get a token to {verb} in {place}: {ex.Message}", transient, inner: ex);
        }
        catch (UntrustedServiceUrlException ex)
        {
            throw new ChatPlatformException($"TeamBot could not {verb} in {place}: {ex.Message}", transient: false, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ChatPlatformException($"The channel could not be reached to {verb} in {place}: {ex.Message}", transient: true, inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatPlatformException($"The channel timed out while TeamBot tried to {verb} in {place}.", transient: true, inner: ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot Framework: not adding the reaction {Emoji} to {MessageId} (no Connector operation for it)")]
    private static partial void LogNoReaction(ILogger logger, string emoji, string messageId);
}
