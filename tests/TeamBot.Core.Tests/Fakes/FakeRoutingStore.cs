using TeamBot.Core.Handoffs;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>Rotation cursors and open-lead counts in memory.</summary>
public sealed class FakeRoutingStore : IRoutingStore
{
    public Dictionary<(string Workspace, string Rotation), long> Cursors { get; } = [];

    public Dictionary<long, int> OpenLeads { get; } = [];

    public Task<long?> GetCursorAsync(string workspaceId, string rotation, CancellationToken cancellationToken) =>
        Task.FromResult(Cursors.TryGetValue((workspaceId, rotation), out var id) ? id : (long?)null);

    public Task SetCursorAsync(string workspaceId, string rotation, long personId, CancellationToken cancellationToken)
    {
        Cursors[(workspaceId, rotation)] = personId;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<long, int>> CountOpenLeadsAsync(string workspaceId, IReadOnlyCollection<long> people, int atMost, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<long, int>>(OpenLeads.Where(o => people.Contains(o.Key)).ToDictionary(o => o.Key, o => Math.Min(o.Value, atMost)));
}
