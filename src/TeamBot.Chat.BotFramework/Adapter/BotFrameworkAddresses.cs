using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework.Adapter;

/// <summary>
/// The conversation references TeamBot keeps (in Core's <see cref="IChatAddressStore"/>, so that they outlive a restart),
/// with a cache in front. Every reference came with an authenticated activity, so its service URL is trusted again when it
/// is read back after a restart.
/// </summary>
public sealed class BotFrameworkAddresses(IServiceScopeFactory scopes, TrustedServiceUrls trusted)
{
    private const string DirectPrefix = "user:";
    private const string SeenPrefix = "seen:";

    private readonly ConcurrentDictionary<PlaceRef, ConversationAddress> _cache = new();

    /// <summary>Remembers how to reach <paramref name="place"/>. Call only for activities that passed authentication.</summary>
    public async Task SaveAsync(PlaceRef place, ConversationAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(address);
        if (_cache.TryGetValue(place, out var known) && known == address) return;
        await TouchAsync(place, address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves again even when nothing changed, so that this workspace becomes the last one to have written there.</summary>
    public async Task TouchAsync(PlaceRef place, ConversationAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(address);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IChatAddressStore>().SaveAsync(place, address.ToText(), cancellationToken).ConfigureAwait(false);
        _cache[place] = address;
    }

    /// <summary>The personal chat TeamBot has with <paramref name="userId"/> in the workspace, if any.</summary>
    public Task<ConversationAddress?> FindDirectAsync(string platform, string workspace, string userId, CancellationToken cancellationToken) =>
        FindAsync(new PlaceRef(platform, workspace, DirectPrefix + userId), cancellationToken);

    public async Task SaveDirectAsync(string platform, string workspace, string userId, ConversationAddress address, CancellationToken cancellationToken)
    {
        await SaveAsync(new PlaceRef(platform, workspace, DirectPrefix + userId), address, cancellationToken).ConfigureAwait(false);
        await SaveAsync(new PlaceRef(platform, workspace, address.ConversationId), address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notes that the user was seen in (or is a member of) the workspace's team: their personal chat belongs there.</summary>
    public Task SaveSeenAsync(string platform, string workspace, string userId, ConversationAddress teamAddress, CancellationToken cancellationToken) =>
        SaveAsync(new PlaceRef(platform, workspace, SeenPrefix + userId), teamAddress, cancellationToken);

    /// <summary>The workspace whose team the user was last seen in, if any.</summary>
    public Task<string?> LastSeenWorkspaceAsync(string platform, string userId, CancellationToken cancellationToken) =>
        WorkspaceOfAsync(platform, SeenPrefix + userId, cancellationToken);

    /// <summary>The workspace that last wrote to (or heard from) this conversation, e.g. the one that opened a personal chat.</summary>
    public async Task<string?> WorkspaceOfAsync(string platform, string conversationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatAddressStore>().FindWorkspaceAsync(platform, conversationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How to write to <paramref name="place"/>: its own reference; for a channel thread, the channel's; for a conversation
    /// TeamBot never heard from (a channel bound by configuration), the workspace's latest reference with that conversation id.
    /// </summary>
    public async Task<ConversationAddress> ResolveAsync(PlaceRef place, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (await FindAsync(place, cancellationToken).ConfigureAwait(false) is { } own) return own;
        var (channel, root) = Activity.SplitThread(place.Id);
        if (root is not null && channel is not null
            && await FindAsync(place with { Id = channel }, cancellationToken).ConfigureAwait(false) is { } parent)
        {
            return parent.For(place.Id, parent.ConversationType);
        }

        ConversationAddress? latest;
        await using (var scope = scopes.CreateAsyncScope())
        {
            latest = ConversationAddress.Parse(await scope.ServiceProvider.GetRequiredService<IChatAddressStore>()
                .FindLatestAsync(place.Platform, place.Workspace, cancellationToken).ConfigureAwait(false));
        }
        if (latest is null)
        {
            throw new ChatPlatformException(
                $"TeamBot has not heard from workspace {place.Workspace} on {place.Platform} yet, so it does not know where to send: add the app to the team (or write to the bot) first.",
                transient: false);
        }
        if (latest.Authenticated) trusted.Trust(latest.ServiceUrl);
        // A configured channel of a team: Teams channel ids look like 19:…@thread.tacv2.
        return latest.For(place.Id, place.Id.Contains("@thread.tacv2", StringComparison.Ordinal) || place.Id.Contains("@thread.skype", StringComparison.Ordinal) ? "channel" : null);
    }

    private async Task<ConversationAddress?> FindAsync(PlaceRef place, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(place, out var cached)) return cached;
        string? text;
        await using (var scope = scopes.CreateAsyncScope())
        {
            text = await scope.ServiceProvider.GetRequiredService<IChatAddressStore>().FindAsync(place, cancellationToken).ConfigureAwait(false);
        }
        if (ConversationAddress.Parse(text) is not { } address) return null;
        // Only a reference a channel token vouched for is trusted with the bot's token (not one from development mode).
        if (address.Authenticated) trusted.Trust(address.ServiceUrl);
        _cache[place] = address;
        return address;
    }
}
