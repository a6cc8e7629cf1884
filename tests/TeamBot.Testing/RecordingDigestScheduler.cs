using System.Collections.Concurrent;
using TeamBot.Core.Digests;

namespace TeamBot.Testing;

/// <summary>Remembers each workspace's digest timer instead of setting one; tests fire it by calling the handler.</summary>
public sealed class RecordingDigestScheduler : IDigestScheduler
{
    public ConcurrentDictionary<string, DateTimeOffset> Due { get; } = new(StringComparer.Ordinal);

    public Task ScheduleAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        Due[workspaceId] = dueAt;
        return Task.CompletedTask;
    }

    public Task EnsureAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        Due[workspaceId] = dueAt;
        return Task.CompletedTask;
    }

    public Task CancelAsync(string workspaceId, CancellationToken cancellationToken)
    {
        Due.TryRemove(workspaceId, out _);
        return Task.CompletedTask;
    }
}
