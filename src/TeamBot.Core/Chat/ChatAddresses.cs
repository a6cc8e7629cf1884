namespace TeamBot.Core.Chat;

/// <summary>
/// What a platform needs to write to a place later, on its own initiative (a handoff, a stand-up prompt, a digest): for
/// the Bot Framework, the conversation reference an authenticated activity brought (service URL, tenant, bot). The
/// address is the platform's own text; Core only keeps it, so that proactive messages still work after a restart.
/// </summary>
public interface IChatAddressStore
{
    /// <summary>Creates or replaces the address of <paramref name="place"/>.</summary>
    Task SaveAsync(PlaceRef place, string address, CancellationToken cancellationToken);

    Task<string?> FindAsync(PlaceRef place, CancellationToken cancellationToken);

    /// <summary>The workspace that most recently saved an address for the place id (a personal chat belongs to whoever opened it).</summary>
    Task<string?> FindWorkspaceAsync(string platform, string placeId, CancellationToken cancellationToken);

    /// <summary>The most recently saved address in the workspace, for a place that was configured but never heard from.</summary>
    Task<string?> FindLatestAsync(string platform, string workspaceId, CancellationToken cancellationToken);
}
