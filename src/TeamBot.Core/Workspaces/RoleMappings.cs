namespace TeamBot.Core.Workspaces;

/// <summary>
/// Which platform roles give which TeamBot roles in a workspace, as admins set them with <c>/setup roles</c>. Adapters
/// read it to resolve a member's roles (a Discord role id, a Teams group id: opaque strings to Core).
/// </summary>
public interface IRoleMappingStore
{
    /// <summary>Each mapped platform role id with the TeamBot roles it gives; empty when nothing is mapped.</summary>
    Task<IReadOnlyDictionary<string, TeamRoles>> GetAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// For each TeamBot role given (a single flag), makes exactly <paramref name="idsByRole"/>'s ids give it; an empty list
    /// clears that role. Roles not given keep their mapping. All or nothing, then <see cref="RoleMappingChanges"/> is told.
    /// </summary>
    Task ReplaceAsync(string workspaceId, IReadOnlyDictionary<TeamRoles, IReadOnlyList<string>> idsByRole, CancellationToken cancellationToken);
}

/// <summary>
/// Tells adapters in this process that cache a workspace's role mapping that it changed, so that they drop the cache.
/// A singleton; the store notifies after it has committed.
/// </summary>
public sealed class RoleMappingChanges
{
    private long _version;

    /// <summary>The workspace whose mapping changed. Raised on the writer's thread: handlers only drop a cache, quickly, and never throw.</summary>
    public event Action<string>? Changed;

    /// <summary>Bumped on every change: a cache tagged with an older version is stale.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Notify(string workspaceId)
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke(workspaceId);
    }
}
