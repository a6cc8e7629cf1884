using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

/// <summary>One database transaction around a unit of work; stores in the same scope share it. Nested calls join the outer one.</summary>
internal sealed class EfUnitOfWork(TeamBotDbContext db) : IUnitOfWork
{
    public async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null) return await work(cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(work, async (_, state, ct) =>
        {
            db.ChangeTracker.Clear();
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
    }
}
