using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

/// <summary>One database transaction around a unit of work; stores in the same scope share it. Nested calls join the outer one.</summary>
internal sealed class EfUnitOfWork(TeamBotDbContext db) : IUnitOfWork
{
    private readonly List<Action> _afterCommit = [];

    public async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null) return await work(cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(work, async (_, state, ct) =>
        {
            db.ChangeTracker.Clear();
            _afterCommit.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var result = await state(ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }, null, cancellationToken);

        var committed = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var action in committed) action();
        return result;
    }

    public void AfterCommit(Action action)
    {
        if (db.Database.CurrentTransaction is null) action();
        else _afterCommit.Add(action);
    }
}
