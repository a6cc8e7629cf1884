using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Goals;

namespace TeamBot.Data.Stores;

internal sealed class EfGoalStore(TeamBotDbContext db) : IGoalStore
{
    public async Task<Goal> AddAsync(NewGoal goal, CancellationToken cancellationToken)
    {
        var row = new GoalRow
        {
            WorkspaceId = goal.WorkspaceId,
            Name = goal.Name,
            Metric = GoalMetrics.Code(goal.Metric),
            Target = goal.Target,
            StartValue = goal.StartValue,
            FirstDay = goal.First,
            LastDay = goal.Last,
            OwnerIds = string.Join(",", goal.OwnerIds.Select(id => id.ToString(CultureInfo.InvariantCulture))),
            CreatedById = goal.CreatedById,
            CreatedAt = goal.CreatedAt,
        };
        db.Goals.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
        return ToGoal(row);
    }

    public async Task<Goal?> GetAsync(string workspaceId, long goalId, CancellationToken cancellationToken)
    {
        var row = await db.Goals.AsNoTracking().FirstOrDefaultAsync(g => g.Id == goalId && g.WorkspaceId == workspaceId, cancellationToken);
        return row is null ? null : ToGoal(row);
    }

    public async Task<IReadOnlyList<Goal>> ListAsync(string workspaceId, GoalStatusFilter status, CancellationToken cancellationToken)
    {
        var query = db.Goals.AsNoTracking().Where(g => g.WorkspaceId == workspaceId);
        query = status switch
        {
            GoalStatusFilter.Active => query.Where(g => g.ArchivedAt == null),
            GoalStatusFilter.Archived => query.Where(g => g.ArchivedAt != null),
            _ => query,
        };
        var rows = await query.OrderBy(g => g.Id).ToListAsync(cancellationToken);
        return rows.Select(ToGoal).ToList();
    }

    public async Task<bool> ArchiveAsync(long goalId, long personId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Goals.Where(g => g.Id == goalId && g.ArchivedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.ArchivedAt, at).SetProperty(g => g.ArchivedById, personId), cancellationToken) > 0;

    public async Task AddUpdateAsync(GoalUpdate update, CancellationToken cancellationToken)
    {
        db.GoalUpdates.Add(new GoalUpdateRow { GoalId = update.GoalId, Value = update.Value, PersonId = update.PersonId, Note = update.Note, At = update.At });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<IReadOnlyList<GoalUpdate>> GetUpdatesAsync(long goalId, CancellationToken cancellationToken)
    {
        var rows = await db.GoalUpdates.AsNoTracking().Where(u => u.GoalId == goalId).OrderBy(u => u.At).ThenBy(u => u.Id).ToListAsync(cancellationToken);
        return rows.Select(u => new GoalUpdate(u.GoalId, u.Value, u.PersonId, u.Note, u.At)).ToList();
    }

    private static Goal ToGoal(GoalRow row)
    {
        // Only known codes are ever written; an unknown one means a migration or a rename went wrong.
        if (!GoalMetrics.TryParse(row.Metric, out var metric)) throw new InvalidOperationException($"Goal {row.Id} has an unknown metric '{row.Metric}'.");
        var owners = row.OwnerIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();
        return new Goal(row.Id, row.WorkspaceId, row.Name, metric, row.Target, row.StartValue, row.FirstDay, row.LastDay, owners,
            row.CreatedById, row.CreatedAt, row.ArchivedAt);
    }
}
