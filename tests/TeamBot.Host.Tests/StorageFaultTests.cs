using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Data;
using TeamBot.Host.Api;
using Xunit.Abstractions;

namespace TeamBot.Host.Tests;

/// <summary>
/// Overload, a locked database and a full disk: the webhook answers 503 with <c>Retry-After</c> and says why, stores
/// nothing of what it refused, keeps every lead it acknowledged, and works again without a restart once the fault is gone.
/// </summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Flood_WhileTheWriterIsHeldUp_IsRefusedWith503AndRetryAfter_QueueStaysBounded_AndEvery202IsStored()
    {
        var logs = new LogLines();
        await using var host = await TestHost.StartAsync(s =>
        {
            s["Intake:MaxLeadsPerRequest"] = "10";
            s["Intake:MaxQueuedLeads"] = "30";
            s["Intake:WriteTimeoutSeconds"] = "5";
            s["Intake:RetryAfterSeconds"] = "2";
        }, services: logs.AddTo);
        var batcher = host.Services.GetRequiredService<IntakeBatcher>();

        // Another process holds the write lock: nothing drains, so 5 times what the queue holds is offered at once.
        var statuses = new ConcurrentBag<(int Sender, HttpResponseMessage Response)>();
        var peak = 0;
        await using (var holder = await HoldWriteLockAsync(host))
        {
            var senders = Enumerable.Range(0, 15).Select(async sender =>
            {
                var response = await host.PostLeadsAsync(Batch(sender, 10));
                statuses.Add((sender, response));
            }).ToList();
            while (senders.Any(s => !s.IsCompleted) && statuses.Count < 12)
            {
                peak = Math.Max(peak, batcher.QueuedLeads);
                await Task.Delay(10);
            }
            peak = Math.Max(peak, batcher.QueuedLeads);
            await holder.DisposeAsync(); // released well before the 5-second deadline
            await Task.WhenAll(senders);
        }

        var accepted = statuses.Where(s => s.Response.StatusCode == HttpStatusCode.Accepted).Select(s => s.Sender).ToList();
        var refused = statuses.Where(s => s.Response.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        output.WriteLine($"Offered 150 leads in 15 requests at once with the writer held up: {accepted.Count} requests answered 202, " +
                         $"{refused.Count} answered 503; at most {peak} of 30 leads queued (Intake:MaxQueuedLeads).");
        Assert.Equal(15, accepted.Count + refused.Count);
        Assert.InRange(accepted.Count, 1, 3);
        Assert.InRange(peak, 1, 30);
        foreach (var (_, response) in refused)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Too many leads waiting", problem.GetProperty("title").GetString());
            Assert.Contains("nothing of this request was stored", problem.GetProperty("detail").GetString());
        }
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Webhook overloaded", StringComparison.Ordinal));

        // Exactly the acknowledged leads are stored; the refused ones are not, and go in when sent again.
        Assert.Equal(accepted.SelectMany(s => Ids(s, 10)).Order(), await ExternalIdsAsync(host));
        foreach (var (sender, _) in refused) Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Batch(sender, 10))).StatusCode);
        Assert.Equal(150, (await ExternalIdsAsync(host)).Count);
        Assert.Equal(0, batcher.QueuedLeads);
    }

    [Fact]
    public async Task Post_WhileAnotherProcessHoldsTheLockPastTheDeadline_Is503SayingBusy_StoresNothing_AndWorksOnceReleased()
    {
        var logs = new LogLines();
        await using var host = await TestHost.StartAsync(s =>
        {
            s["Intake:WriteTimeoutSeconds"] = "1";
            s["Intake:RetryAfterSeconds"] = "3";
        }, services: logs.AddTo);

        HttpResponseMessage locked;
        var clock = Stopwatch.StartNew();
        await using (await HoldWriteLockAsync(host))
        {
            locked = await host.PostLeadsAsync(Batch(1, 3));
            output.WriteLine($"With the write lock held by another process, answered {(int)locked.StatusCode} after {clock.Elapsed.TotalSeconds:0.00} s (Intake:WriteTimeoutSeconds 1).");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"answered after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Contains("locked by another process", await HealthReasonAsync(host));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), locked.Headers.RetryAfter?.Delta);
        var problem = await locked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Storage is busy", problem.GetProperty("title").GetString());
        Assert.Contains("nothing was stored", problem.GetProperty("detail").GetString());
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("locked by another process", StringComparison.Ordinal));
        Assert.Empty(await ExternalIdsAsync(host));

        // Released: the same leads are new leads (not duplicates of a half-stored first try), with no restart.
        var again = await host.PostLeadsAsync(Batch(1, 3));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(3, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Null(await HealthReasonAsync(host));
    }

    [Fact]
    public async Task Post_WhenTheDiskIsFull_Is503SayingFull_StoresNothingPartial_KeepsTheStoreIntact_AndWorksOnceThereIsSpace()
    {
        var logs = new LogLines();
        var disk = new PageLimit();
        await using var host = await TestHost.StartAsync(s => s["Intake:RetryAfterSeconds"] = "3", services: services =>
        {
            logs.AddTo(services);
            services.ConfigureDbContext<TeamBotDbContext>(o => o.AddInterceptors(disk));
        });
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Batch(0, 5))).StatusCode);

        disk.Full = true; // the database may not grow by a single page
        var full = await host.PostLeadsAsync(Batch(1, 200, reason: new string('x', 1_500)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(IntakeBatcher.FullRetryAfterSeconds), full.Headers.RetryAfter?.Delta);
        var problem = await full.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Storage is full", problem.GetProperty("title").GetString());
        Assert.Contains("nothing was stored", problem.GetProperty("detail").GetString());
        Assert.Contains(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("The database is full", StringComparison.Ordinal));
        Assert.Contains("The database is full", await HealthReasonAsync(host));
        Assert.Equal(Ids(0, 5).Order(), await ExternalIdsAsync(host));
        Assert.Equal("ok", await IntegrityAsync(host));

        disk.Full = false; // space freed: no restart
        var again = await host.PostLeadsAsync(Batch(1, 200, reason: new string('x', 1_500)));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(200, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(205, (await ExternalIdsAsync(host)).Count);
        Assert.Null(await HealthReasonAsync(host));
        Assert.Equal("ok", await IntegrityAsync(host));
    }

    internal static string Batch(int sender, int count, string reason = "Asked for a demo") =>
        JsonSerializer.Serialize(new
        {
            leads = Ids(sender, count).Select(id => new { externalId = id, email = $"{id}@example.com", company = $"Company {id}", reason }),
        });

    private static IEnumerable<string> Ids(int sender, int count) => Enumerable.Range(0, count).Select(i => $"s{sender}-{i}");

    internal static async Task<List<string>> ExternalIdsAsync(TestHost host, string? database = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database ?? Path.Combine(host.DataDirectory, "teambot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT external_id FROM leads WHERE external_id IS NOT NULL";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return [.. ids.Order()];
    }

    internal static async Task<string> IntegrityAsync(TestHost host, string? database = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database ?? Path.Combine(host.DataDirectory, "teambot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> HealthReasonAsync(TestHost host)
    {
        var health = await host.Client.GetFromJsonAsync<JsonElement>("/healthz");
        return health.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
    }

    /// <summary>Another process's write transaction on the bot's database, held until disposed.</summary>
    private static async Task<IAsyncDisposable> HoldWriteLockAsync(TestHost host)
    {
        var holder = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "teambot.db")};Pooling=False");
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync(); // BEGIN IMMEDIATE: the write lock
        return new Held(holder, transaction);
    }

    private sealed class Held(SqliteConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>A full disk for SQLite: while <see cref="Full"/>, each connection the bot opens may not grow the file (SQLITE_FULL).</summary>
    private sealed class PageLimit : DbConnectionInterceptor
    {
        public volatile bool Full;

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            // A limit below the file's size is read as "the size it has now"; the maximum lifts it again.
            command.CommandText = Full ? "PRAGMA max_page_count = 1" : "PRAGMA max_page_count = 4294967294";
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>Every log line of a test host, as "Level: message".</summary>
internal sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
