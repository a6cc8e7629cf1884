using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// The outbound half of the Discord adapter: TeamBot's chat intents as Discord REST calls. Places are channel, thread or
/// DM channel ids; a message reference holds the channel and the message id. Failures become
/// <see cref="ChatPlatformException"/>s that say whether the outbox should retry.
/// </summary>
public sealed partial class DiscordChatPlatform(DiscordRestClient rest, DiscordGuilds? guilds = null, DiscordDirects? directs = null) : IChatPlatform
{
    public const string Platform = "discord";

    /// <summary>Discord's documented pace for one channel: 5 messages per 5 s. The REST limiter follows the real headers.</summary>
    public static PostingPace ChannelPace { get; } = new(5, TimeSpan.FromSeconds(5));

    public string Name => Platform;

    public PostingPace PaceFor(PlaceRef place) => ChannelPace;

    /// <summary>Posts with a nonce derived from <paramref name="idempotencyKey"/> and enforce_nonce, so a retry returns the first message.</summary>
    public Task<MessageRef> PostAsync(PlaceRef place, OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var channel = Id(place.Id, "channel");
        return Call(Operation.Post, place.Id, async () =>
        {
            var body = DiscordCards.ToBody(message) with { Nonce = Nonce(idempotencyKey), EnforceNonce = true };
            var posted = await rest.CreateMessageAsync(channel, body, cancellationToken).ConfigureAwait(false);
            return new MessageRef(Name, place.Workspace, place.Id, posted.Id.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    public Task UpdateAsync(MessageRef target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (channel, id) = (Id(target.PlaceId, "channel"), Id(target.MessageId, "message"));
        return Call(Operation.Update, target.PlaceId, async () =>
        {
            // An edit keeps every field it does not name: send empty lists so that a removed card or button really goes.
            var body = DiscordCards.ToBody(message);
            body = body with { Content = body.Content ?? "", Embeds = body.Embeds ?? [], Components = body.Components ?? [] };
            try
            {
                await rest.EditMessageAsync(channel, id, body, cancellationToken).ConfigureAwait(false);
            }
            catch (DiscordApiException ex) when (ex.Code == ThreadArchived)
            {
                // A lead's thread goes quiet and Discord archives it; a later edit there (a redaction when the lead's data
                // is erased, a reason prompt answered late) must still happen: unarchive, edit, and archive it again.
                try
                {
                    await rest.ModifyThreadAsync(channel, archived: false, ct: cancellationToken).ConfigureAwait(false);
                }
                catch (DiscordApiException refused) when (refused.Status == HttpStatusCode.Forbidden)
                {
                    // Only a locked thread needs more than Send Messages to be unarchived.
                    throw new ChatPlatformException(
                        $"Discord archived the thread {target.PlaceId} and it is locked, so TeamBot cannot edit its message there: " +
                        "a moderator unlocks the thread, or gives TeamBot the Manage Threads permission.", transient: false, inner: refused);
                }
                await rest.EditMessageAsync(channel, id, body, cancellationToken).ConfigureAwait(false);
                await ArchiveAgainAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Archives a thread TeamBot had to unarchive for an edit, so that the edit does not bring an old lead's thread back to the
    /// channel's list (erasing a year of leads at once would bring back hundreds, and Discord limits a server's active threads).
    /// Best effort: where Discord refuses (a thread TeamBot did not start, without Manage Threads) it archives the thread
    /// itself after its quiet time, as before.
    /// </summary>
    private async Task ArchiveAgainAsync(ulong thread, CancellationToken cancellationToken)
    {
        try
        {
            await rest.ModifyThreadAsync(thread, archived: true, ct: cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException refused) when (refused.Status == HttpStatusCode.Forbidden)
        {
            // Left to Discord's own archiving.
        }
    }

    /// <summary>
    /// Starts a public thread on the message (name cut to 100). Discord gives a thread started from a message the
    /// message's id and refuses a second one (code 160004), so a second call returns that same thread.
    /// </summary>
    public Task<PlaceRef> OpenThreadAsync(MessageRef root, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var (channel, id) = (Id(root.PlaceId, "channel"), Id(root.MessageId, "message"));
        var threadName = ThreadName(name);
        return Call(Operation.Thread, root.PlaceId, async () =>
        {
            try
            {
                var thread = await rest.StartThreadFromMessageAsync(channel, id, threadName, ct: cancellationToken).ConfigureAwait(false);
                return new PlaceRef(Name, root.Workspace, thread.ToString(CultureInfo.InvariantCulture));
            }
            catch (DiscordApiException ex) when (ex.Code == ThreadAlreadyCreated)
            {
                return new PlaceRef(Name, root.Workspace, root.MessageId);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Renames a thread TeamBot started: its creator may, without Manage Threads. Discord takes a change to an archived thread
    /// only together with <c>archived: false</c>, so an archived one is unarchived with its new name and archived again.
    /// Discord allows about two renames of one channel per ten minutes; a 429 is retried like any other.
    /// </summary>
    public Task RenameThreadAsync(PlaceRef thread, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var id = Id(thread.Id, "thread");
        var threadName = ThreadName(name);
        return Call(Operation.RenameThread, thread.Id, async () =>
        {
            try
            {
                await rest.ModifyThreadAsync(id, threadName, ct: cancellationToken).ConfigureAwait(false);
            }
            catch (DiscordApiException ex) when (ex.Code == ThreadArchived)
            {
                await rest.ModifyThreadAsync(id, threadName, archived: false, cancellationToken).ConfigureAwait(false);
                await ArchiveAgainAsync(id, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The guild's text and announcement channels (the kinds a handoff can be posted in and get a thread), by their
    /// names (a reply's text is escaped, so a mention would show as its markup). Null when the guild's channels cannot be read: a channel id is
    /// then taken as given, and a wrong one shows when its first post fails. Permissions are read apart, by
    /// <see cref="MissingPermissionsAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ChatChannel>?> ListChannelsAsync(string workspace, CancellationToken cancellationToken)
    {
        if (DiscordGuilds.GuildOf(workspace) is not { } guild) return null;
        try
        {
            var channels = await Call(Operation.ListChannels, workspace, () => rest.GetGuildChannelsAsync(guild, cancellationToken), cancellationToken).ConfigureAwait(false);
            return [.. channels.Where(c => c.Type is TextChannel or AnnouncementChannel)
                .Select(c => new ChatChannel(c.Id.ToString(CultureInfo.InvariantCulture), "#" + c.Name))];
        }
        catch (Exception ex) when (ex is ChatPlatformException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What the bot lacks in the channel for <paramref name="use"/>, computed from the guild's roles, the bot's own roles and the
    /// channel's overwrites (three reads). A channel the bot cannot see lacks View Channel. Null when it cannot be told: not a
    /// guild's workspace, the gateway has not said who the bot is yet, or Discord could not be read.
    /// </summary>
    public async Task<IReadOnlyList<string>?> MissingPermissionsAsync(string workspace, string placeId, ChannelUse use, CancellationToken cancellationToken)
    {
        if (DiscordGuilds.GuildOf(workspace) is not { } guild || guilds?.BotUserId is not (> 0 and var bot)
            || !ulong.TryParse(placeId, NumberStyles.None, CultureInfo.InvariantCulture, out var channel))
        {
            return null;
        }
        try
        {
            return await Call(Operation.ReadPermissions, placeId, async () =>
            {
                IReadOnlyList<PermissionOverwrite> overwrites;
                try
                {
                    overwrites = await rest.GetChannelOverwritesAsync(channel, cancellationToken).ConfigureAwait(false);
                }
                catch (DiscordApiException ex) when (ex is { Status: HttpStatusCode.Forbidden, Code: MissingAccess })
                {
                    // What else it lacks shows once it can see the channel.
                    return (IReadOnlyList<string>)[DiscordPermissions.NameOf(DiscordPermissions.ViewChannel)];
                }
                var roles = await rest.GetGuildRolesAsync(guild, cancellationToken).ConfigureAwait(false);
                var own = await rest.GetMemberRolesAsync(guild, bot, cancellationToken).ConfigureAwait(false);
                return DiscordPermissions.Missing(DiscordPermissions.InChannel(roles, bot, own, overwrites), use);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChatPlatformException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Discord's error code for a channel the bot cannot see.</summary>
    private const int MissingAccess = 50001;

    /// <summary>A thread's name as Discord takes it: 1 to 100 characters.</summary>
    private static string ThreadName(string name) => Core.Chat.MessageLimits.Cut(string.IsNullOrWhiteSpace(name) ? "Thread" : name.Trim(), 100)!;

    private const int TextChannel = 0;
    private const int AnnouncementChannel = 5;

    public Task<PlaceRef> OpenDirectAsync(string workspace, string userId, CancellationToken cancellationToken)
    {
        var user = Id(userId, "user");
        return Call(Operation.Direct, "@" + userId, async () =>
        {
            var channel = await rest.OpenDmAsync(user, cancellationToken).ConfigureAwait(false);
            // Their answer comes back without a guild: it belongs to the workspace that wrote to them, also after a restart.
            if (DiscordGuilds.GuildOf(workspace) is { } guild)
            {
                if (directs is not null) await directs.OpenedAsync(channel, user, guild, cancellationToken).ConfigureAwait(false);
                else guilds?.DirectOpened(channel, user, guild);
            }
            return new PlaceRef(Name, workspace, channel.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <summary>Adds the bot's reaction: a Unicode emoji, or a custom one as <c>name:id</c> or <c>&lt;:name:id&gt;</c>.</summary>
    public Task AddReactionAsync(MessageRef message, string emoji, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (channel, id) = (Id(message.PlaceId, "channel"), Id(message.MessageId, "message"));
        var parsed = Emoji(emoji);
        return Call(Operation.React, message.PlaceId, async () =>
        {
            await rest.AddOwnReactionAsync(channel, id, parsed, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Discord's nonce for an idempotency key: the key itself when it is short and plain, otherwise 25 hex characters
    /// of its SHA-256 (100 bits; Discord remembers a nonce for a few minutes per channel).
    /// </summary>
    public static string Nonce(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        if (idempotencyKey.Length <= Messages.MessageLimits.NonceLength && PlainNonce().IsMatch(idempotencyKey)) return idempotencyKey;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..Messages.MessageLimits.NonceLength];
    }

    /// <summary>Discord error code: "A thread has already been created for this message".</summary>
    private const int ThreadAlreadyCreated = 160004;

    /// <summary>Discord's error code for a change to an archived thread or a message in it.</summary>
    private const int ThreadArchived = 50083;

    internal enum Operation { Post, Update, Thread, RenameThread, Direct, React, ReadReactions, ListChannels, ReadPermissions }

    /// <summary>Runs a REST call and turns Discord's failures into <see cref="ChatPlatformException"/>s (shared with <see cref="DiscordReactionReader"/>).</summary>
    internal static async Task<T> Call<T>(Operation operation, string place, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DiscordTokenRejectedException ex)
        {
            throw new ChatPlatformException("Discord rejected the bot token; set a valid Discord:Token and restart.", transient: false, inner: ex);
        }
        catch (DiscordInvalidRequestGuardException ex)
        {
            throw new ChatPlatformException(ex.Message, transient: true, ex.ReopensIn, ex);
        }
        catch (DiscordApiException ex) when (ex.Status is { } status)
        {
            throw Translate(operation, place, status, ex);
        }
        catch (DiscordApiException ex)
        {
            throw new ChatPlatformException($"Discord failed to {Verb(operation)} in {place}: {ex.Message}", transient: true, inner: ex);
        }
        catch (DiscordMessageInvalidException ex)
        {
            throw new ChatPlatformException(ex.Message, transient: false, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ChatPlatformException($"Discord could not be reached to {Verb(operation)} in {place}: {ex.Message}", transient: true, inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatPlatformException($"Discord timed out while trying to {Verb(operation)} in {place}.", transient: true, inner: ex);
        }
    }

    private static ChatPlatformException Translate(Operation operation, string place, HttpStatusCode status, DiscordApiException ex)
    {
        var code = (int)status;
        if (code == 429 || code >= 500 || status == HttpStatusCode.RequestTimeout)
        {
            return new ChatPlatformException($"Discord could not {Verb(operation)} in {place} right now ({code}); TeamBot will retry.", transient: true, ex.RetryAfter, ex);
        }
        var reason = (code, ex.Code) switch
        {
            (403, MissingAccess) => $"the bot cannot see {place}: give it the View Channel permission there",
            (403, 50007) => "the user does not accept direct messages from this server's members or bots",
            (403, _) => $"the bot lacks the {Permission(operation)} permission in {place}",
            (404, 10003) => $"the channel {place} does not exist or the bot is not in its server",
            (404, 10008) => $"the message no longer exists in {place}",
            (404, 10013) => "Discord does not know that user",
            (400, 10014) or (404, 10014) => "Discord does not know that emoji",
            _ => $"Discord answered {code}",
        };
        return new ChatPlatformException($"TeamBot could not {Verb(operation)} in {place}: {reason}. ({ex.Message})", transient: false, inner: ex);
    }

    private static string Verb(Operation operation) => operation switch
    {
        Operation.Post => "post a message",
        Operation.Update => "update a message",
        Operation.Thread => "start a thread",
        Operation.RenameThread => "rename the thread",
        Operation.Direct => "open a direct message",
        Operation.ReadReactions => "read reactions",
        Operation.ListChannels => "list the server's channels",
        Operation.ReadPermissions => "read the bot's permissions",
        _ => "add a reaction",
    };

    /// <summary>The permission an operation needs (Discord's 50013 does not say which one is missing).</summary>
    private static string Permission(Operation operation) => operation switch
    {
        Operation.Post => "Send Messages (and Embed Links)",
        Operation.Update => "View Channel",
        Operation.Thread => "Create Public Threads",
        Operation.RenameThread => "Manage Threads (the thread is locked, or TeamBot did not start it)",
        Operation.Direct => "Send Messages",
        Operation.ReadReactions => "Read Message History",
        Operation.ListChannels or Operation.ReadPermissions => "View Channel",
        _ => "Add Reactions (and Read Message History)",
    };

    internal static ulong Id(string text, string what) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ChatPlatformException($"'{text}' is not a Discord {what} id.", transient: false);

    internal static DiscordEmoji Emoji(string emoji)
    {
        ArgumentException.ThrowIfNullOrEmpty(emoji);
        var custom = CustomEmoji().Match(emoji);
        return custom.Success
            ? new DiscordEmoji(custom.Groups["name"].Value, ulong.Parse(custom.Groups["id"].Value, CultureInfo.InvariantCulture), custom.Groups["a"].Success)
            : new DiscordEmoji(emoji);
    }

    [GeneratedRegex("^<?(?<a>a)?:?(?<name>[A-Za-z0-9_]{2,32}):(?<id>[0-9]{1,20})>?$")]
    private static partial Regex CustomEmoji();

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$")]
    private static partial Regex PlainNonce();
}
