namespace TeamBot.Core.Workspaces;

/// <summary>
/// Tells what caches a workspace's state in this process (the webhook's check that a workspace takes leads) that TeamBot
/// left or rejoined the workspace's server, so that the cache is dropped. A singleton; the store notifies after its write.
/// </summary>
public sealed class WorkspaceChanges
{
    /// <summary>The workspace that changed. Raised on the writer's thread: handlers only drop a cache, quickly, and never throw.</summary>
    public event Action<string>? Changed;

    public void Notify(string workspaceId) => Changed?.Invoke(workspaceId);
}
