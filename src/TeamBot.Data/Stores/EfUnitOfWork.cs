using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

/// <summary>One database transaction around a unit of work; stores in the same scope share it. Nested calls join the outer one.</summary>
internal sealed class EfUnitOfWork(TeamBotDbContext db) : IUnitOfWork
{
    private readonly List<Action> _afterCommit = [];

    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(work, waitForDisk: true, cancellationToken);

    public Task<T> InLightTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(work, waitForDisk: false, cancellationToken);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, bool waitForDisk, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null) return await work(cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(work, async (_, state, ct) =>
        {
            db.ChangeTracker.Clear();
            _afterCommit.Clear();
            // SQLite keeps the setting on the connection: it stays open, and ours, until the setting is back.
            var opened = false;
            long? synchronous = null;
            try
            {
                if (!waitForDisk && db.IsSqlite)
                {
                    await db.Database.OpenConnectionAsync(ct);
                    opened = true;
                    synchronous = await SqliteSynchronousAsync(null, ct);
                    await SqliteSynchronousAsync(Normal, ct);
                }
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                // PostgreSQL's asynchronous commit: written, flushed by the WAL writer within moments or by the next commit that waits.
                if (!waitForDisk && db.IsPostgres) await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", ct);
                var result = await state(ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            finally
            {
                db.ChangeTracker.Clear();
                if (synchronous is { } before) await SqliteSynchronousAsync(before, CancellationToken.None);
                if (opened) await db.Database.CloseConnectionAsync();
            }
        }, null, cancellationToken);

        var committed = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var action in committed) action();
        return result;
    }

    /// <summary>SQLite's <c>synchronous=NORMAL</c>: in WAL mode a commit is written to the log but not flushed.</summary>
    private const long Normal = 1;

    /// <summary>Sets SQLite's <c>synchronous</c> on the open connection or reads it when <paramref name="value"/> is null.</summary>
    private async Task<long> SqliteSynchronousAsync(long? value, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = value is { } v ? $"PRAGMA synchronous={v}" : "PRAGMA synchronous";
        var read = await command.ExecuteScalarAsync(cancellationToken);
        return value ?? (long)read!;
    }

    public void AfterCommit(Action action)
    {
        if (db.Database.CurrentTransaction is null) action();
        else _afterCommit.Add(action);
    }
}
