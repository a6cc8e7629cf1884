using System.Collections.Concurrent;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Api;

/// <summary>Checks webhook keys against the stored hashes, which it caches briefly so that each request does not read them.</summary>
internal sealed class WorkspaceKeys(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (byte[]? Hash, DateTimeOffset LoadedAt)> _cache = new(StringComparer.Ordinal);

    public async Task<bool> IsValidAsync(string workspaceId, string presentedKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(workspaceId, out var entry) || now - entry.LoadedAt > CacheFor)
        {
            await using var scope = scopes.CreateAsyncScope();
            var hash = await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().GetApiKeyHashAsync(workspaceId, cancellationToken);
            entry = (hash, now);
            _cache[workspaceId] = entry;
        }
        // Compare even without a stored key, so that timing does not tell which workspaces exist.
        return ApiKeys.Matches(presentedKey, entry.Hash ?? new byte[32]) && entry.Hash is not null;
    }
}

/// <summary>
/// Whether a workspace takes leads: it has a handoffs channel, and TeamBot was not removed from its server. A yes is
/// remembered for <see cref="CacheFor"/>, so that the webhook mostly skips the read; a change this process makes
/// (<see cref="WorkspaceChanges"/>) drops it at once, and another process's within that time.
/// </summary>
internal sealed class IntakeReadiness
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ready = new(StringComparer.Ordinal);
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private long _changes;

    public IntakeReadiness(IServiceScopeFactory scopes, TimeProvider clock, WorkspaceChanges changes)
    {
        (_scopes, _clock) = (scopes, clock);
        changes.Changed += workspaceId =>
        {
            Interlocked.Increment(ref _changes);
            _ready.TryRemove(workspaceId, out _);
        };
    }

    /// <summary>Why the workspace cannot take leads now (a problem's title and detail), or null when it can (or does not exist: the key check answers that).</summary>
    public async Task<(string Title, string Detail)?> RefusalAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_ready.TryGetValue(workspaceId, out var since) && now - since <= CacheFor) return null;
        var changes = Interlocked.Read(ref _changes);
        await using var scope = _scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().FindAsync(workspaceId, cancellationToken) is not { } workspace) return null;
        if (Core.Leads.LeadIntake.RefusalOf(workspace) is { } refusal)
        {
            _ready.TryRemove(workspaceId, out _);
            return refusal;
        }
        // Not a yes read before a change that came meanwhile: a change counts before it drops the entry, so one that
        // came after the read is seen here, after the write.
        _ready[workspaceId] = now;
        if (Interlocked.Read(ref _changes) != changes) _ready.TryRemove(workspaceId, out _);
        return null;
    }
}
