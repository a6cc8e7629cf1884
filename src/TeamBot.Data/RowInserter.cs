using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TeamBot.Data;

/// <summary>
/// Inserts many new rows of one table with one prepared INSERT … RETURNING, on the context's connection and inside its
/// current transaction, and sets their generated keys. It writes exactly what SaveChanges would (the model's columns,
/// type mappings and value converters) without the change tracker, which made up most of the intake writer's time.
/// Where the provider has <see cref="PositionalStatement"/>s (SQLite), each row's values are bound by position by code
/// compiled once per table from the model; otherwise through the provider's DbCommand and its parameters.
/// </summary>
internal static class RowInserter
{
    internal sealed record Column(IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter);

    internal sealed record Plan(string Sql, IReadOnlyList<Column> Columns, IProperty Key)
    {
        /// <summary>An <c>Action&lt;TRow, PositionalStatement&gt;</c> binding a row's values, or null when a column's type needs the provider's own binding.</summary>
        public Delegate? Bind { get; init; }

        /// <summary>An <c>Action&lt;TRow, long&gt;</c> setting the generated key.</summary>
        public required Delegate SetKey { get; init; }
    }

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
            if (insert.IsPositional)
            {
                foreach (var row in rows) insert.Insert(row);
            }
            else
            {
                foreach (var row in rows) await insert.InsertAsync(row, cancellationToken);
            }
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
        var connection = db.Database.GetDbConnection();
        var plan = Plans.GetOrAdd(entity, e => PlanFor<TRow>(e, db.GetService<ISqlGenerationHelper>(), connection));

        if (plan.Bind is Action<TRow, PositionalStatement> bind && PositionalStatements.For(db) is { } statements)
        {
            return new Prepared<TRow>(plan, transaction, statements.Prepare(connection, plan.Sql), bind);
        }

        var command = connection.CreateCommand();
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
            return new Prepared<TRow>(plan, transaction, command, parameters);
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
        private readonly IDbContextTransaction _transaction;
        private readonly Action<TRow, long> _setKey;
        private readonly PositionalStatement? _statement;
        private readonly Action<TRow, PositionalStatement>? _bind;
        private readonly DbCommand? _command;
        private readonly DbParameter[]? _parameters;

        internal Prepared(Plan plan, IDbContextTransaction transaction, PositionalStatement statement, Action<TRow, PositionalStatement> bind)
            : this(plan, transaction)
        {
            (_statement, _bind) = (statement, bind);
        }

        internal Prepared(Plan plan, IDbContextTransaction transaction, DbCommand command, DbParameter[] parameters)
            : this(plan, transaction)
        {
            (_command, _parameters) = (command, parameters);
        }

        private Prepared(Plan plan, IDbContextTransaction transaction)
        {
            (_plan, _transaction) = (plan, transaction);
            _setKey = (Action<TRow, long>)plan.SetKey;
        }

        /// <summary>Whether rows are bound by position (<see cref="Insert"/> runs synchronously: SQLite's calls do not wait on a network).</summary>
        public bool IsPositional => _statement is not null;

        /// <summary>Whether this insert was prepared on <paramref name="transaction"/> (it serves only there).</summary>
        public bool IsFor(IDbContextTransaction? transaction) => ReferenceEquals(transaction, _transaction);

        public async Task InsertAsync(TRow row, CancellationToken cancellationToken)
        {
            if (_statement is not null)
            {
                Insert(row);
                return;
            }
            for (var i = 0; i < _parameters!.Length; i++)
            {
                var value = _plan.Columns[i].Getter.GetClrValueUsingContainingEntity(row);
                _parameters[i].Value = value is null ? DBNull.Value : _plan.Columns[i].Mapping.Converter?.ConvertToProvider(value) ?? value;
            }
            var key = await _command!.ExecuteScalarAsync(cancellationToken);
            _setKey(row, Convert.ToInt64(key, CultureInfo.InvariantCulture));
        }

        /// <summary>Writes one row by position; only when <see cref="IsPositional"/>.</summary>
        public void Insert(TRow row)
        {
            var statement = _statement ?? throw new InvalidOperationException("This insert binds by name: use InsertAsync.");
            _bind!(row, statement);
            try
            {
                if (!statement.Step()) throw new InvalidOperationException($"The insert into {typeof(TRow).Name} returned no key.");
                _setKey(row, statement.GetInt64(0));
            }
            finally
            {
                statement.Reset();
            }
        }

        public void Dispose()
        {
            _statement?.Dispose();
            _command?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            _statement?.Dispose();
            return _command?.DisposeAsync() ?? ValueTask.CompletedTask;
        }
    }

    private static Plan PlanFor<TRow>(IEntityType entity, ISqlGenerationHelper sql, DbConnection connection)
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
            columns, key)
        {
            Bind = PositionalBinder<TRow>(columns, connection),
            SetKey = KeySetter<TRow>(key),
        };
    }

    private static Action<TRow, long> KeySetter<TRow>(IProperty key)
    {
        var member = key.PropertyInfo ?? throw new InvalidOperationException($"{typeof(TRow).Name}'s key has no property.");
        var row = Expression.Parameter(typeof(TRow), "row");
        var value = Expression.Parameter(typeof(long), "key");
        return Expression.Lambda<Action<TRow, long>>(
            Expression.Assign(Expression.Property(row, member), Expression.Convert(value, member.PropertyType)), row, value).Compile();
    }

    /// <summary>
    /// Code that binds every column of a row by position, as the provider's parameters would: the model's getter and value
    /// converter, then the provider value as Microsoft.Data.Sqlite binds it (integers, true/false as 0/1, decimals as text in
    /// its format, text truncated to a parameter size the mapping sets). Null when a column's type is bound differently by
    /// type hints (dates, GUIDs, time spans, characters): those tables keep the provider's parameters.
    /// </summary>
    private static Action<TRow, PositionalStatement>? PositionalBinder<TRow>(List<Column> columns, DbConnection connection)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var statement = Expression.Parameter(typeof(PositionalStatement), "statement");
        using var probe = connection.CreateCommand();
        var binds = new List<Expression>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            Expression? value = column.Property.PropertyInfo is { } property ? Expression.Property(row, property)
                : column.Property.FieldInfo is { } field ? Expression.Field(row, field)
                : null;
            if (value is null) return null;
            var size = column.Mapping.CreateParameter(probe, "@probe", null, column.Property.IsNullable).Size;
            var bind = BindValue(statement, i + 1, value, column.Mapping.Converter, size);
            if (bind is null) return null;
            binds.Add(bind);
        }
        return Expression.Lambda<Action<TRow, PositionalStatement>>(Expression.Block(binds), row, statement).Compile();
    }

    private static Expression? BindValue(ParameterExpression statement, int index, Expression value, ValueConverter? converter, int size)
    {
        var position = Expression.Constant(index);
        var bindNull = Expression.Call(statement, nameof(PositionalStatement.BindNull), null, position);
        if (Nullable.GetUnderlyingType(value.Type) is not null)
        {
            var present = BindValue(statement, index, Expression.Property(value, "Value"), converter, size);
            return present is null ? null : Expression.IfThenElse(Expression.Property(value, "HasValue"), present, bindNull);
        }
        if (converter is not null)
        {
            // EF never hands a converter null: nulls were bound above (or below, for references).
            var model = value.Type == converter.ModelClrType ? value : Expression.Convert(value, converter.ModelClrType);
            var converted = Expression.Invoke(converter.ConvertToProviderExpression, model);
            var bound = BindValue(statement, index, converted, null, size);
            return bound is null || value.Type.IsValueType ? bound : Expression.IfThenElse(Expression.Equal(value, Expression.Constant(null)), bindNull, bound);
        }

        var type = value.Type.IsEnum ? Enum.GetUnderlyingType(value.Type) : value.Type;
        if (value.Type.IsEnum) value = Expression.Convert(value, type);
        Expression? call = type switch
        {
            _ when type == typeof(string) => Expression.Call(statement, nameof(PositionalStatement.BindText), null, position,
                size > 0 ? Expression.Call(typeof(RowInserter), nameof(Truncate), null, value, Expression.Constant(size)) : value),
            _ when type == typeof(byte[]) && size <= 0 => Expression.Call(statement, nameof(PositionalStatement.BindBlob), null, position, value),
            _ when type == typeof(bool) => Expression.Call(statement, nameof(PositionalStatement.BindInt64), null, position,
                Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L))),
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte)
                   || type == typeof(uint) || type == typeof(ushort) || type == typeof(ulong) =>
                Expression.Call(statement, nameof(PositionalStatement.BindInt64), null, position, Expression.Convert(value, typeof(long))),
            _ when type == typeof(double) || type == typeof(float) =>
                Expression.Call(statement, nameof(PositionalStatement.BindDouble), null, position, Expression.Convert(value, typeof(double))),
            _ when type == typeof(decimal) => Expression.Call(statement, nameof(PositionalStatement.BindText), null, position,
                Expression.Call(typeof(RowInserter), nameof(DecimalText), null, value)),
            _ => null,
        };
        if (call is null) return null;
        return type.IsValueType ? call : Expression.IfThenElse(Expression.Equal(value, Expression.Constant(null, value.Type)), bindNull, call);
    }

    /// <summary>A decimal as Microsoft.Data.Sqlite writes it.</summary>
    private static string DecimalText(decimal value) => value.ToString("0.0###########################", CultureInfo.InvariantCulture);

    /// <summary>Text cut to a parameter's size, as Microsoft.Data.Sqlite cuts it.</summary>
    private static string Truncate(string value, int size) => value.Length > size ? value[..size] : value;
}
