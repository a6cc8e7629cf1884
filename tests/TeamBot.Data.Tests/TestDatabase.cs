using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TeamBot.Data.Postgres;
using TeamBot.Data.Sqlite;
using TeamBot.Testing;

namespace TeamBot.Data.Tests;

/// <summary>A real, empty database for one test: a SQLite file, or a fresh PostgreSQL database when TEAMBOT_TEST_POSTGRES names a server.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = PostgresFactAttribute.Variable;

    private readonly string? _directory;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    private TestDatabase(string provider, string connectionString, string? directory, string? admin, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
        _postgresAdmin = admin;
        _postgresName = name;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    /// <summary>The providers this machine can test: SQLite always, PostgreSQL when a server is configured.</summary>
    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (PostgresServer is not null) data.Add("postgres");
            return data;
        }
    }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var directory = Path.Combine(Path.GetTempPath(), "teambot-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestDatabase(provider, SqliteStorage.ConnectionStringFor(Path.Combine(directory, "teambot.db")), directory, null, null);
        }

        var admin = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set.");
        var name = "teambot_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, admin, name);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == "sqlite") options.UseTeamBotSqlite(ConnectionString);
        else options.UseTeamBotPostgres(ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a pool on the way out; the temp folder is cleaned up later.
            }
        }
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            // A background worker of the server (autovacuum) may still be in the new database for a moment.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName}", connection);
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException) when (attempt < 20)
                {
                    await Task.Delay(100);
                }
                catch (PostgresException)
                {
                    break; // left for the throwaway test server to take with it
                }
            }
        }
    }
}
