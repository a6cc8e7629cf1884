namespace TeamBot.Core.Chat;

/// <summary>
/// The outbound half of the chat seam: what TeamBot asks a platform to do. Implementations translate these
/// intents into their wire protocol and enforce their own limits.
/// </summary>
public interface IChatPlatform
{
    /// <summary>The platform name used in <see cref="PlaceRef.Platform"/>, e.g. "local", "discord".</summary>
    string Name { get; }

    /// <summary>How fast TeamBot may post into a place without ever being rate limited.</summary>
    PostingPace PaceFor(PlaceRef place);

    /// <summary>
    /// Posts a message. Calling again with the same <paramref name="idempotencyKey"/> must not post a second
    /// message where the platform can prevent it (the outbox retries after a crash).
    /// </summary>
    Task<MessageRef> PostAsync(PlaceRef place, OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken);

    Task UpdateAsync(MessageRef target, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="root"/> the root of a thread and returns the thread's place. Calling it twice returns the same thread.</summary>
    Task<PlaceRef> OpenThreadAsync(MessageRef root, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a thread <see cref="OpenThreadAsync"/> opened a new name (a lead's, once its personal data is erased). Platforms
    /// whose threads have no name of their own (the local chat, Teams' reply chains) have nothing to do.
    /// </summary>
    Task RenameThreadAsync(PlaceRef thread, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    Task<PlaceRef> OpenDirectAsync(string workspace, string userId, CancellationToken cancellationToken);

    Task AddReactionAsync(MessageRef message, string emoji, CancellationToken cancellationToken);

    /// <summary>
    /// The channels of <paramref name="workspace"/> that TeamBot can post in, where the platform can list them (the local
    /// chat's are configured, Discord's are read from the guild); null where it cannot (Teams, or the list could not be
    /// read), and a channel id given in a command is then taken as it is.
    /// </summary>
    Task<IReadOnlyList<ChatChannel>?> ListChannelsAsync(string workspace, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChatChannel>?>(null);

    /// <summary>
    /// The permissions TeamBot lacks in a channel of <paramref name="workspace"/> to do there what <paramref name="use"/> asks,
    /// named as the platform's own settings name them: empty when it has them all; null where the platform cannot tell (the
    /// local chat and Teams have no such per-channel permissions, or Discord's could not be read).
    /// </summary>
    Task<IReadOnlyList<string>?> MissingPermissionsAsync(string workspace, string placeId, ChannelUse use, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(null);
}

/// <summary>
/// What TeamBot does in a channel an admin binds with /setup: handoffs are cards with reactions and a thread each; general
/// posts (digests, stand-ups) open threads for answers; marketing notices are posts only.
/// </summary>
public enum ChannelUse
{
    Handoffs,
    Marketing,
    General,
}

/// <summary>A channel TeamBot can post in: its place id, and how a reply names it (on Discord "#" and its name).</summary>
public sealed record ChatChannel(string Id, string Label);

/// <summary>At most <paramref name="Posts"/> posts per <paramref name="Per"/> into one place.</summary>
public sealed record PostingPace(int Posts, TimeSpan Per)
{
    public static PostingPace Unlimited { get; } = new(int.MaxValue, TimeSpan.FromSeconds(1));

    public double PerSecond => Posts / Per.TotalSeconds;
}

/// <summary>A platform refused or failed a request. Transient failures are retried by the outbox with backoff.</summary>
public sealed class ChatPlatformException(string message, bool transient, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Transient { get; } = transient;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The platforms this process speaks, by name.</summary>
public sealed class ChatPlatforms(IEnumerable<IChatPlatform> platforms)
{
    private readonly Dictionary<string, IChatPlatform> _byName = platforms.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IChatPlatform Get(string name) =>
        _byName.TryGetValue(name, out var platform)
            ? platform
            : throw new ChatPlatformException($"The chat platform '{name}' is not enabled in this process.", transient: true);

    public bool IsEnabled(string name) => _byName.ContainsKey(name);
}
