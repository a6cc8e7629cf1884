using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TeamBot.Benchmarks;

/// <summary>
/// The machine's limit for ingest: the same leads written straight into SQLite (WAL, as TeamBot uses it) with one
/// prepared INSERT, 1,000 rows per transaction, into a table shaped like TeamBot's leads (with its dedupe index). No HTTP,
/// no JSON, no validation, no outbox: what no server can beat on this disk.
/// </summary>
internal static class RawSqlite
{
    private static readonly string[] ParameterNames = ["$email", "$last", "$company", "$source", "$campaign", "$segment", "$score", "$at"];

    public static double RowsPerSecond(string directory, int rows = 300_000, int perTransaction = 1000)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, """
            CREATE TABLE leads (
              id INTEGER PRIMARY KEY AUTOINCREMENT, workspace_id TEXT NOT NULL, email TEXT, first_name TEXT, last_name TEXT,
              company TEXT, title TEXT, source TEXT, campaign TEXT, segment TEXT, country TEXT, score REAL,
              dedupe_key TEXT, received_at INTEGER NOT NULL);
            CREATE UNIQUE INDEX ix_leads_dedupe ON leads (workspace_id, dedupe_key);
            CREATE INDEX ix_leads_received ON leads (workspace_id, received_at);
            """);

        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO leads (workspace_id, email, first_name, last_name, company, title, source, campaign, segment, country, score, dedupe_key, received_at)
            VALUES ('local', $email, 'Lead', $last, $company, 'Head of Operations', $source, $campaign, $segment, 'DE', $score, $email, $at)
            """;
        var parameters = ParameterNames.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();

        var clock = Stopwatch.StartNew();
        for (var done = 0; done < rows; done += perTransaction)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var n = done; n < done + perTransaction; n++)
            {
                parameters[0].Value = $"lead{n}.raw@example.com";
                parameters[1].Value = $"Number {n}";
                parameters[2].Value = $"Company {n % 5000}";
                parameters[3].Value = $"source-{n % 50}";
                parameters[4].Value = $"campaign-{n % 200}";
                parameters[5].Value = (n % 3) switch { 0 => "smb", 1 => "mid-market", _ => "enterprise" };
                parameters[6].Value = n % 100;
                parameters[7].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
