using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TeamBot.Chat.Local;

/// <summary>A message as the local chat stores it. <see cref="ThreadOf"/> is the root message of a thread reply.</summary>
public sealed record LocalMessage(
    long Id,
    string Channel,
    long? ThreadOf,
    string AuthorId,
    string AuthorName,
    bool IsBot,
    string? Text,
    string? CardJson,
    string? NotifyJson,
    string? CommandJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt);

public sealed record LocalReaction(long MessageId, string Emoji, string UserId, string UserName);

/// <summary>
/// The local chat's own storage, separate from TeamBot's database, as a real chat service's would be.
/// Idempotency keys make a repeated post return the message already posted.
/// </summary>
public sealed class LocalChatStore
{
    private readonly string _connectionString;

    public LocalChatStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                thread_of INTEGER NULL,
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                is_bot INTEGER NOT NULL,
                text TEXT NULL,
                card_json TEXT NULL,
                notify_json TEXT NULL,
                command_json TEXT NULL,
                idempotency_key TEXT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                edited_at INTEGER NULL);
            CREATE INDEX IF NOT EXISTS ix_messages_channel ON messages(channel, thread_of, id);
            CREATE TABLE IF NOT EXISTS controls (
                message_id INTEGER NOT NULL,
                control TEXT NOT NULL,
                PRIMARY KEY (message_id, control));
            CREATE TABLE IF NOT EXISTS reactions (
                message_id INTEGER NOT NULL,
                emoji TEXT NOT NULL,
                user_id TEXT NOT NULL,
                user_name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (message_id, emoji, user_id));
            """);
    }

    /// <summary>Inserts a message; with a key already used, returns the earlier message and false.</summary>
    /// <summary>Stores a message, with the controls its card shows in the same transaction: a click can never find the card without them.</summary>
    public (LocalMessage Message, bool Created) Insert(LocalMessage message, string? idempotencyKey, IEnumerable<string>? controls = null)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        if (idempotencyKey is not null)
        {
            using var find = Command(connection, "SELECT id FROM messages WHERE idempotency_key = $key", ("$key", idempotencyKey));
            find.Transaction = transaction;
            if (find.ExecuteScalar() is long existing)
            {
                transaction.Commit();
                return (Get(existing)!, false);
            }
        }
        using var insert = Command(connection, """
            INSERT INTO messages (channel, thread_of, author_id, author_name, is_bot, text, card_json, notify_json, command_json, idempotency_key, created_at)
            VALUES ($channel, $thread, $author, $name, $bot, $text, $card, $notify, $command, $key, $at)
            RETURNING id
            """,
            ("$channel", message.Channel), ("$thread", message.ThreadOf), ("$author", message.AuthorId), ("$name", message.AuthorName),
            ("$bot", message.IsBot ? 1 : 0), ("$text", message.Text), ("$card", message.CardJson), ("$notify", message.NotifyJson),
            ("$command", message.CommandJson), ("$key", idempotencyKey), ("$at", message.CreatedAt.ToUnixTimeMilliseconds()));
        insert.Transaction = transaction;
        var id = (long)insert.ExecuteScalar()!;
        AddControls(connection, transaction, id, controls ?? []);
        transaction.Commit();
        return (message with { Id = id }, true);
    }

    /// <summary>Remembers controls a message has shown. A click on one stays valid after the card changes, as on real platforms.</summary>
    private static void AddControls(SqliteConnection connection, SqliteTransaction transaction, long messageId, IEnumerable<string> controls)
    {
        foreach (var control in controls.Distinct(StringComparer.Ordinal))
        {
            using var insert = Command(connection, "INSERT INTO controls (message_id, control) VALUES ($id, $control) ON CONFLICT DO NOTHING",
                ("$id", messageId), ("$control", control));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }
    }

    public bool HasControl(long messageId, string control)
    {
        using var connection = Open();
        using var query = Command(connection, "SELECT 1 FROM controls WHERE message_id = $id AND control = $control", ("$id", messageId), ("$control", control));
        return query.ExecuteScalar() is not null;
    }

    /// <summary>Changes a message; the controls of its new card are added in the same transaction (the old ones stay valid).</summary>
    public bool Update(long id, string? text, string? cardJson, string? notifyJson, DateTimeOffset at, IEnumerable<string>? controls = null)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var update = Command(connection,
            "UPDATE messages SET text = $text, card_json = $card, notify_json = $notify, edited_at = $at WHERE id = $id",
            ("$text", text), ("$card", cardJson), ("$notify", notifyJson), ("$at", at.ToUnixTimeMilliseconds()), ("$id", id));
        update.Transaction = transaction;
        var changed = update.ExecuteNonQuery() == 1;
        if (changed) AddControls(connection, transaction, id, controls ?? []);
        transaction.Commit();
        return changed;
    }

    public LocalMessage? Get(long id)
    {
        using var connection = Open();
        using var query = Command(connection, $"{SelectMessages} WHERE id = $id", ("$id", id));
        using var reader = query.ExecuteReader();
        return reader.Read() ? ReadMessage(reader) : null;
    }

    /// <summary>The channel's last <paramref name="limit"/> top-level messages (oldest first) and all their replies.</summary>
    public IReadOnlyList<LocalMessage> ListChannel(string channel, int limit)
    {
        using var connection = Open();
        using var query = Command(connection, $"""
            WITH roots AS (
                SELECT id FROM messages WHERE channel = $channel AND thread_of IS NULL ORDER BY id DESC LIMIT $limit)
            {SelectMessages}
            WHERE id IN (SELECT id FROM roots) OR thread_of IN (SELECT id FROM roots)
            ORDER BY id
            """, ("$channel", channel), ("$limit", limit));
        using var reader = query.ExecuteReader();
        var messages = new List<LocalMessage>();
        while (reader.Read()) messages.Add(ReadMessage(reader));
        return messages;
    }

    public IReadOnlyList<LocalReaction> ReactionsFor(IReadOnlyCollection<long> messageIds)
    {
        if (messageIds.Count == 0) return [];
        using var connection = Open();
        var ids = string.Join(',', messageIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        using var query = Command(connection, $"SELECT message_id, emoji, user_id, user_name FROM reactions WHERE message_id IN ({ids}) ORDER BY created_at, rowid");
        using var reader = query.ExecuteReader();
        var reactions = new List<LocalReaction>();
        while (reader.Read()) reactions.Add(new LocalReaction(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return reactions;
    }

    /// <summary>Adds a reaction; false when this user already had it.</summary>
    public bool AddReaction(long messageId, string emoji, string userId, string userName, DateTimeOffset at)
    {
        using var connection = Open();
        using var insert = Command(connection, """
            INSERT INTO reactions (message_id, emoji, user_id, user_name, created_at) VALUES ($id, $emoji, $user, $name, $at)
            ON CONFLICT DO NOTHING
            """, ("$id", messageId), ("$emoji", emoji), ("$user", userId), ("$name", userName), ("$at", at.ToUnixTimeMilliseconds()));
        return insert.ExecuteNonQuery() == 1;
    }

    /// <summary>Removes a reaction; false when this user did not have it.</summary>
    public bool RemoveReaction(long messageId, string emoji, string userId)
    {
        using var connection = Open();
        using var delete = Command(connection, "DELETE FROM reactions WHERE message_id = $id AND emoji = $emoji AND user_id = $user",
            ("$id", messageId), ("$emoji", emoji), ("$user", userId));
        return delete.ExecuteNonQuery() == 1;
    }

    private const string SelectMessages =
        "SELECT id, channel, thread_of, author_id, author_name, is_bot, text, card_json, notify_json, command_json, created_at, edited_at FROM messages";

    private static LocalMessage ReadMessage(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetInt64(5) == 1,
        r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        r.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // A writer that meets another waits inside SQLite (polling in milliseconds), not in Microsoft.Data.Sqlite's 150 ms sleeps.
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, 30_000), connection.Handle);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
