using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Data.Sqlite;
using TeamBot.Data.Stores;

namespace TeamBot.Data.Tests;

/// <summary>What the webhook's group commit changes on its SQLite connection, and gives back.</summary>
public sealed class SqliteCacheTests
{
    [Fact]
    public async Task CacheAtLeast_RaisesTheConnectionsCache_AndRestoresItsSizeWhenDisposed()
    {
        var sizes = await OnConnectionAsync(async (_, connection) =>
        {
            var before = await CacheSizeAsync(connection);
            long during;
            using (SqliteStorage.CacheAtLeast(connection, 16 * 1024)) during = await CacheSizeAsync(connection);
            return (before, during, await CacheSizeAsync(connection));
        });

        // Negative: KiB. SQLite's default is 2,000 KiB.
        Assert.Equal((-2000L, -16384L, -2000L), sizes);
    }

    [Fact]
    public async Task CacheAtLeast_RestoresTheSize_InACultureThatWritesMinusDifferently()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
        try
        {
            var after = await OnConnectionAsync(async (_, connection) =>
            {
                using (SqliteStorage.CacheAtLeast(connection, 16 * 1024)) await CacheSizeAsync(connection);
                return await CacheSizeAsync(connection);
            });

            // Swedish writes -2000 with U+2212, which SQLite would read as a name: a cache of 0 pages.
            Assert.Equal(-2000L, after);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task CacheAtLeast_LeavesALargerCacheAsItIs()
    {
        var sizes = await OnConnectionAsync(async (_, connection) =>
        {
            await ExecuteAsync(connection, "PRAGMA cache_size = 10000"); // pages: about 40 MB
            long during;
            using (SqliteStorage.CacheAtLeast(connection, 16 * 1024)) during = await CacheSizeAsync(connection);
            var after = await CacheSizeAsync(connection);
            await ExecuteAsync(connection, "PRAGMA cache_size = -2000"); // as it was, for the pool
            return (during, after);
        });

        Assert.Equal((10000L, 10000L), sizes);
    }

    [Fact]
    public async Task ALeadsThread_IsFoundThroughTheThreadIndex_ThatHoldsOnlyPostedLeads()
    {
        var (plan, index) = await OnConnectionAsync(async (db, connection) =>
        {
            // The lookup as the lead store makes it (by thread): EF's SQL and its parameters.
            var (platform, workspace, thread) = ("discord", "guild-1", "thread-9");
            var plan = await PlanAsync(connection, db.Leads.AsNoTracking()
                .Where(l => l.HandoffPlatform == platform && l.WorkspaceId == workspace && l.ThreadPlace == thread)
                .ToQueryString());

            await using var definition = connection.CreateCommand();
            definition.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'IX_leads_handoff_platform_workspace_id_thread_place'";
            return (plan, (string)(await definition.ExecuteScalarAsync())!);
        });

        Assert.Contains("USING INDEX IX_leads_handoff_platform_workspace_id_thread_place", plan);
        // A lead not posted yet (every lead as it arrives) adds nothing to it.
        Assert.EndsWith("WHERE thread_place IS NOT NULL", index);
    }

    [Fact]
    public async Task ARepsOpenLeads_AreCountedOnThePartialIndexes_UpToTheCap()
    {
        var (sql, plan) = await OnConnectionAsync(async (db, connection) =>
        {
            var sql = EfLeadStore.OpenLeadsQuery(db, "local", [1, 2, 3], 25).ToQueryString();
            return (sql, await PlanAsync(connection, sql));
        });

        Assert.Contains("USING INDEX ix_leads_open_claimed (workspace_id=? AND claimed_by_id=?)", plan);
        Assert.Contains("USING INDEX ix_leads_open_assigned (workspace_id=? AND assignee_id=?)", plan);
        // Each rep's leads are read only up to the cap.
        Assert.Equal(2, sql.Split("LIMIT @atMost").Length - 1);
    }

    /// <summary>SQLite's plan for a query as EF's <c>ToQueryString</c> gives it (with its <c>.param set</c> lines), its steps joined by " | ".</summary>
    private static async Task<string> PlanAsync(SqliteConnection connection, string query)
    {
        var lines = query.Split('\n');
        await using var explain = connection.CreateCommand();
        foreach (var set in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = set.Split(' ', 4);
            explain.Parameters.AddWithValue(parts[2], parts[3].Trim().Trim('\''));
        }
        explain.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) steps.Add(reader.GetString(3));
        return string.Join(" | ", steps);
    }

    /// <summary>Runs <paramref name="work"/> on an open connection of a TeamBot context on a fresh SQLite store.</summary>
    private static async Task<T> OnConnectionAsync<T>(Func<TeamBotDbContext, SqliteConnection, Task<T>> work)
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        return await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                return await work(db, (SqliteConnection)db.Database.GetDbConnection());
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CacheSizeAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
