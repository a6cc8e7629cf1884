using TeamBot.Core.Goals;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>Goals and their manual updates in memory.</summary>
public sealed class FakeGoalStore : IGoalStore
{
    public List<Goal> Goals { get; } = [];

    public List<GoalUpdate> Updates { get; } = [];

    public Task<Goal> AddAsync(NewGoal goal, CancellationToken cancellationToken)
    {
        var added = new Goal(Goals.Count + 1, goal.WorkspaceId, goal.Name, goal.Metric, goal.Target, goal.StartValue, goal.First, goal.Last,
            goal.OwnerIds, goal.CreatedById, goal.CreatedAt, null);
        Goals.Add(added);
        return Task.FromResult(added);
    }

    public Task<Goal?> GetAsync(string workspaceId, long goalId, CancellationToken cancellationToken) =>
        Task.FromResult(Goals.FirstOrDefault(g => g.Id == goalId && g.WorkspaceId == workspaceId));

    public Task<IReadOnlyList<Goal>> ListAsync(string workspaceId, GoalStatusFilter status, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Goal>>(Goals
            .Where(g => g.WorkspaceId == workspaceId)
            .Where(g => status == GoalStatusFilter.All || g.IsArchived == (status == GoalStatusFilter.Archived))
            .ToList());

    public Task<bool> ArchiveAsync(long goalId, long personId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var index = Goals.FindIndex(g => g.Id == goalId);
        if (index < 0 || Goals[index].IsArchived) return Task.FromResult(false);
        Goals[index] = Goals[index] with { ArchivedAt = at };
        return Task.FromResult(true);
    }

    public Task AddUpdateAsync(GoalUpdate update, CancellationToken cancellationToken)
    {
        Updates.Add(update);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<GoalUpdate>> GetUpdatesAsync(long goalId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GoalUpdate>>(Updates.Where(u => u.GoalId == goalId).OrderBy(u => u.At).ToList());
}
