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
/// Whether a workspace takes leads (it has a handoffs channel), read from the store until the answer is yes and then
/// remembered: a handoffs channel can be moved but never removed, so a yes stays true and the webhook skips the read.
/// </summary>
internal sealed class IntakeReadiness(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, byte> _ready = new(StringComparer.Ordinal);

    /// <summary>Why the workspace cannot take leads yet, or null when it can (or does not exist: the key check answers that).</summary>
    public async Task<string?> RefusalAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (_ready.ContainsKey(workspaceId)) return null;
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().FindAsync(workspaceId, cancellationToken) is not { } workspace) return null;
        if (Core.Leads.LeadIntake.Refusal(workspace) is { } refusal) return refusal;
        _ready.TryAdd(workspaceId, 0);
        return null;
    }
}
