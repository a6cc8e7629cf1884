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
