using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TeamBot.Data.Sqlite;

/// <summary>Positional statements straight on the connection's SQLite handle: prepared once, bound by index, no name lookups.</summary>
internal sealed class SqliteStatements : IPositionalStatements
{
    public static readonly SqliteStatements Instance = new();

    public PositionalStatement Prepare(DbConnection connection, string sql)
    {
        var db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            stmt.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        return new Statement(db, stmt);
    }

    private sealed class Statement(sqlite3 db, sqlite3_stmt stmt) : PositionalStatement
    {
        // Text is encoded here and copied by SQLite (SQLITE_TRANSIENT), so one buffer serves every value.
        private byte[] _utf8 = new byte[256];

        public override void BindNull(int index) => Check(raw.sqlite3_bind_null(stmt, index));

        public override void BindText(int index, string value)
        {
            var length = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (length > _utf8.Length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
            var written = Encoding.UTF8.GetBytes(value, _utf8);
            Check(raw.sqlite3_bind_text(stmt, index, _utf8.AsSpan(0, written)));
        }

        public override void BindInt64(int index, long value) => Check(raw.sqlite3_bind_int64(stmt, index, value));

        public override void BindDouble(int index, double value)
        {
            // As Microsoft.Data.Sqlite: SQLite would store NaN as NULL.
            if (double.IsNaN(value)) throw new InvalidOperationException("Cannot store NaN in SQLite.");
            Check(raw.sqlite3_bind_double(stmt, index, value));
        }

        public override void BindBlob(int index, byte[] value) => Check(raw.sqlite3_bind_blob(stmt, index, value));

        public override bool Step()
        {
            var rc = raw.sqlite3_step(stmt);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc == raw.SQLITE_DONE) return false;
            // The statement's error is the connection's; reset it so that it can run again after the caller recovers.
            raw.sqlite3_reset(stmt);
            SqliteException.ThrowExceptionForRC(rc, db);
            return false;
        }

        public override bool IsNull(int column) => raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

        public override long GetInt64(int column) => raw.sqlite3_column_int64(stmt, column);

        public override string? GetText(int column) =>
            IsNull(column) ? null : raw.sqlite3_column_text(stmt, column).utf8_to_string();

        public override void Reset() => raw.sqlite3_reset(stmt);

        public override void Dispose() => stmt.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
