using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace TeamBot.Data;

/// <summary>
/// Inserts many new rows of one table with one prepared INSERT … RETURNING, on the context's connection and inside its
/// current transaction, and sets their generated keys. It writes exactly what SaveChanges would (the model's columns,
/// type mappings and value converters) without the change tracker, which made up most of the intake writer's time.
/// </summary>
internal static class RowInserter
{
    internal sealed record Column(IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter);

    internal sealed record Plan(string Sql, IReadOnlyList<Column> Columns, IProperty Key);

    private static readonly ConcurrentDictionary<IEntityType, Plan> Plans = new();

    /// <summary>Adds new rows and sets their keys: with the prepared insert on SQLite, with SaveChanges (one batched command) elsewhere.</summary>
    public static async Task AddAsync<TRow>(TeamBotDbContext db, IReadOnlyList<TRow> rows, CancellationToken cancellationToken) where TRow : class
    {
        if (rows.Count == 0) return;
        if (db.IsSqlite)
        {
            await InsertAsync(db, rows, cancellationToken);
            return;
        }
        db.Set<TRow>().AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public static async Task InsertAsync<TRow>(TeamBotDbContext db, IReadOnlyList<TRow> rows, CancellationToken cancellationToken) where TRow : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction is null)
        {
            // All or none, as SaveChanges would be.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await InsertAsync(db, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var insert = await PrepareAsync<TRow>(db, cancellationToken);
            foreach (var row in rows) await insert.InsertAsync(row, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The prepared insert for <typeparamref name="TRow"/>, for rows that come one at a time inside the context's current
    /// transaction (a group commit): it is prepared once and serves until that transaction ends (<see cref="Prepared{TRow}.IsFor"/>).
    /// </summary>
    public static async Task<Prepared<TRow>> PrepareAsync<TRow>(TeamBotDbContext db, CancellationToken cancellationToken) where TRow : class
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("A prepared insert runs inside a transaction.");
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in the model.");
        var plan = Plans.GetOrAdd(entity, e => PlanFor(e, db.GetService<ISqlGenerationHelper>()));
        var command = db.Database.GetDbConnection().CreateCommand();
        try
        {
            command.CommandText = plan.Sql;
            command.Transaction = transaction.GetDbTransaction();
            var parameters = new DbParameter[plan.Columns.Count];
            for (var i = 0; i < parameters.Length; i++)
            {
                var column = plan.Columns[i];
                parameters[i] = column.Mapping.CreateParameter(command, "@p" + i, null, column.Property.IsNullable);
                command.Parameters.Add(parameters[i]);
            }
            await command.PrepareAsync(cancellationToken);
            return new Prepared<TRow>(plan, command, parameters, transaction);
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>One table's prepared INSERT … RETURNING on a transaction; each row written sets its generated key.</summary>
    internal sealed class Prepared<TRow> : IDisposable, IAsyncDisposable where TRow : class
    {
        private readonly Plan _plan;
        private readonly DbCommand _command;
        private readonly DbParameter[] _parameters;
        private readonly IDbContextTransaction _transaction;
        private readonly System.Reflection.PropertyInfo _setKey;

        internal Prepared(Plan plan, DbCommand command, DbParameter[] parameters, IDbContextTransaction transaction)
        {
            (_plan, _command, _parameters, _transaction) = (plan, command, parameters, transaction);
            _setKey = plan.Key.PropertyInfo ?? throw new InvalidOperationException($"{typeof(TRow).Name}'s key has no property.");
        }

        /// <summary>Whether this insert was prepared on <paramref name="transaction"/> (it serves only there).</summary>
        public bool IsFor(IDbContextTransaction? transaction) => ReferenceEquals(transaction, _transaction);

        public async Task InsertAsync(TRow row, CancellationToken cancellationToken)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                var value = _plan.Columns[i].Getter.GetClrValueUsingContainingEntity(row);
                _parameters[i].Value = value is null ? DBNull.Value : _plan.Columns[i].Mapping.Converter?.ConvertToProvider(value) ?? value;
            }
            var key = await _command.ExecuteScalarAsync(cancellationToken);
            _setKey.SetValue(row, Convert.ChangeType(key, _plan.Key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Dispose() => _command.Dispose();

        public ValueTask DisposeAsync() => _command.DisposeAsync();
    }

    private static Plan PlanFor(IEntityType entity, ISqlGenerationHelper sql)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var columns = entity.GetProperties()
            .Where(p => p != key || p.ValueGenerated == ValueGenerated.Never)
            .Select(p => new Column(p, (RelationalTypeMapping)p.GetRelationalTypeMapping(), p.GetGetter()))
            .ToList();
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
        var values = string.Join(", ", columns.Select((_, i) => "@p" + i));
        return new Plan(
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values}) RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}",
            columns, key);
    }
}
