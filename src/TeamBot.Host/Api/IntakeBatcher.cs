using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;
using TeamBot.Data;
using TeamBot.Data.Sqlite;

namespace TeamBot.Host.Api;

/// <summary>Why the webhook could not store a request's leads: answered 503 with <c>Retry-After</c>; nothing of it was stored.</summary>
internal sealed record IntakeRefusal(string Title, string Detail, int RetryAfterSeconds);

/// <summary>A request's outcome per lead, or why none of its leads were stored.</summary>
internal sealed record IntakeAnswer(IReadOnlyList<IntakeOutcome>? Outcomes, IntakeRefusal? Refusal);

/// <summary>
/// Group commit for the webhook: submissions that arrive while a commit is under way are written together, in one
/// transaction, by one writer. SQLite takes one writer at a time and makes each commit durable on disk, so 32 senders
/// each committing their own lead mostly wait for each other; together they pay for one commit. A sender is answered
/// only after the transaction holding its leads has committed, so 202 still means stored.
/// </summary>
/// <remarks>
/// <para>The leads of one workspace in a group go to intake as one list in arrival order, so duplicates within a group are
/// found as within one request (a later copy points at the first). If a shared transaction fails, each of its
/// submissions is written again on its own, so that one bad submission fails alone.</para>
/// <para>Bounded, so that a flood cannot fill memory: at most <see cref="IntakeSettings.MaxQueuedLeads"/> leads wait or are
/// being written; a request that would go over is refused at once. A request waits at most
/// <see cref="IntakeSettings.WriteTimeoutSeconds"/>: still queued by then, it is withdrawn; taken by the writer, it waits
/// for the database's write lock no longer than that (then its transaction never began) and, once the lock is held, for
/// the commit. So a refusal always means that nothing of the request was stored, and a resend cannot store a lead twice.</para>
/// </remarks>
internal sealed partial class IntakeBatcher(
    IServiceScopeFactory scopes, IntakeSettings settings, StorageStatus status, ILogger<IntakeBatcher> logger) : IDisposable
{
    /// <summary>At most this many leads share one transaction (a batch of requests of 1,000 leads stays reasonable).</summary>
    public const int MaxLeadsPerCommit = 5_000;

    /// <summary>The <c>Retry-After</c> of a full database: freeing space takes an operator.</summary>
    public const int FullRetryAfterSeconds = 60;

    /// <summary>
    /// The page cache of the group's connection while it writes (16 MB; SQLite's default is 2 MB): a group of 800 leads changed
    /// about a thousand pages, most of them the dedupe index's, spread over it at random. On SQLite that index is gone (the
    /// recent keys are held in memory, see TeamBot.Data's RecentLeadKeys), so a group changes far fewer pages now; whether
    /// the larger cache still pays was not measured again.
    /// </summary>
    private const int CacheKibibytes = 16 * 1024;

    /// <summary>
    /// Groups from this many leads on get the larger cache: a smaller group's changed pages (about 1.3 per lead) fit in
    /// SQLite's default 2 MB (500 pages), and a single lead's commit, the handoff's first step, runs no extra statement.
    /// </summary>
    private const int CacheFromLeads = 200;

    /// <summary>The shortest wait for the write lock: Microsoft.Data.Sqlite retries a busy statement for a second anyway.</summary>
    private static readonly TimeSpan MinLockWait = TimeSpan.FromSeconds(1);

    // Unbounded as a channel: _queuedLeads is the bound, counted in leads rather than requests.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private Task? _writer;
    private int _queuedLeads;
    private int _refusing;

    /// <summary>The leads queued or being written now.</summary>
    public int QueuedLeads => Volatile.Read(ref _queuedLeads);

    /// <summary>The answer for a request when the queue has no room for even one more lead, or null; lets the webhook refuse before reading the body.</summary>
    public IntakeRefusal? RefusalWhenFull() => QueuedLeads >= settings.MaxQueuedLeads ? Overloaded() : null;

    public async Task<IntakeAnswer> SubmitAsync(string workspaceId, IReadOnlyList<NewLead> leads, CancellationToken cancellationToken)
    {
        if (!TryReserve(leads.Count)) return new IntakeAnswer(null, Overloaded());
        if (Interlocked.Exchange(ref _refusing, 0) == 1) LogAcceptingAgain(logger, QueuedLeads);
        EnsureWriter();
        var timeout = TimeSpan.FromSeconds(settings.WriteTimeoutSeconds);
        var pending = new Pending(workspaceId, leads, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        _queue.Writer.TryWrite(pending);

        // Once queued, the leads are written even if this sender goes away; it is just not told.
        var done = pending.Done.Task;
        try
        {
            // WaitAsync drops its timer as soon as the answer comes: no timer outlives a request.
            return await done.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            if (pending.TryWithdraw())
            {
                Release(leads.Count);
                LogTimedOut(logger, leads.Count, settings.WriteTimeoutSeconds);
                return new IntakeAnswer(null, new IntakeRefusal("Storage is busy",
                    $"The leads could not be stored within {settings.WriteTimeoutSeconds} seconds (Intake:WriteTimeoutSeconds); nothing was stored. " +
                    $"Send them again after {settings.RetryAfterSeconds} seconds.", settings.RetryAfterSeconds));
            }
            // The writer has them: it waits for the lock no longer than the deadline, then the answer comes.
        }
        return await done.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private bool TryReserve(int count)
    {
        while (true)
        {
            var queued = Volatile.Read(ref _queuedLeads);
            // An empty queue takes any request that passed validation (the options make sure the largest one fits).
            if (queued > 0 && queued + count > settings.MaxQueuedLeads) return false;
            if (Interlocked.CompareExchange(ref _queuedLeads, queued + count, queued) == queued) return true;
        }
    }

    private void Release(int count) => Interlocked.Add(ref _queuedLeads, -count);

    private IntakeRefusal Overloaded()
    {
        // One log line per episode, not one per refused request.
        if (Interlocked.Exchange(ref _refusing, 1) == 0) LogOverloaded(logger, QueuedLeads, settings.MaxQueuedLeads);
        return new IntakeRefusal("Too many leads waiting",
            $"TeamBot has {settings.MaxQueuedLeads:N0} leads waiting to be stored (Intake:MaxQueuedLeads); nothing of this request was stored. " +
            $"Send it again after {settings.RetryAfterSeconds} seconds.", settings.RetryAfterSeconds);
    }

    private void EnsureWriter()
    {
        if (_writer is not null) return;
        lock (_startLock) _writer ??= Task.Run(WriteLoopAsync);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            var leads = 0;
            while (leads < MaxLeadsPerCommit && reader.TryRead(out var next))
            {
                if (!next.TryTake()) continue; // withdrawn by its sender, who was answered and released its room
                group.Add(next);
                leads += next.Leads.Count;
            }
            if (group.Count == 0) continue;
            try
            {
                await WriteAsync(group);
            }
            finally
            {
                Release(leads);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> group)
    {
        try
        {
            await CommitAsync(group);
            status.Clear();
        }
        catch (Exception ex) when (StorageFaults.Of(ex) is { } fault)
        {
            // Not again one by one: each would meet the same fault.
            Refuse(group, fault, ex);
        }
        catch (Exception ex) when (group.Count > 1)
        {
            LogGroupFailed(logger, ex, group.Count);
            foreach (var one in group) await WriteAsync([one]);
        }
        catch (Exception ex)
        {
            group[0].Done.TrySetException(ex);
        }
    }

    private void Refuse(IReadOnlyList<Pending> group, StorageFault fault, Exception error)
    {
        status.Report(fault);
        var leads = group.Sum(p => p.Leads.Count);
        var retry = settings.RetryAfterSeconds;
        IntakeRefusal refusal;
        switch (fault)
        {
            case StorageFault.Full:
                LogFull(logger, leads);
                refusal = new IntakeRefusal("Storage is full",
                    "TeamBot's storage is full: there is no space left for its database, so nothing was stored. " +
                    $"An operator frees disk space; send the leads again after {FullRetryAfterSeconds} seconds.", FullRetryAfterSeconds);
                break;
            case StorageFault.Busy:
                LogLocked(logger, leads, settings.WriteTimeoutSeconds);
                refusal = new IntakeRefusal("Storage is busy",
                    $"The database was locked by another process for longer than {settings.WriteTimeoutSeconds} seconds (Intake:WriteTimeoutSeconds); " +
                    $"nothing was stored. Send the leads again after {retry} seconds.", retry);
                break;
            default:
                LogUnavailable(logger, error, leads);
                refusal = new IntakeRefusal("Storage is unavailable",
                    $"TeamBot could not write to its database, so the leads were not stored; the log says why. Send them again after {retry} seconds.", retry);
                break;
        }
        foreach (var pending in group) pending.Done.TrySetResult(new IntakeAnswer(null, refusal));
    }

    /// <summary>One transaction for the whole group; each sender is answered after the commit.</summary>
    private async Task CommitAsync(IReadOnlyList<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var intake = services.GetRequiredService<LeadIntake>();
        var db = services.GetRequiredService<TeamBotDbContext>();
        IDisposable? lockWait = null, cache = null;
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            // The earliest deadline in the group bounds the wait for another process's write lock.
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), group.Min(p => p.Deadline));
            await db.Database.OpenConnectionAsync(_stopping.Token);
            lockWait = SqliteStorage.WaitAtMost(sqlite, left > MinLockWait ? left : MinLockWait);
            if (group.Sum(p => p.Leads.Count) >= CacheFromLeads) cache = SqliteStorage.CacheAtLeast(sqlite, CacheKibibytes);
        }
        try
        {
            var results = await services.GetRequiredService<IUnitOfWork>().InTransactionAsync(async ct =>
            {
                // One intake call per workspace with every lead of the group in arrival order: one duplicate check, one insert.
                var outcomes = new IReadOnlyList<IntakeOutcome>[group.Count];
                foreach (var workspace in group.Select((p, i) => (p, i)).GroupBy(x => x.p.WorkspaceId, StringComparer.Ordinal))
                {
                    var members = workspace.ToList();
                    var all = await intake.SubmitAsync(workspace.Key, [.. members.SelectMany(m => m.p.Leads)], ct);
                    var at = 0;
                    foreach (var (p, i) in members)
                    {
                        outcomes[i] = all.Skip(at).Take(p.Leads.Count).ToList();
                        at += p.Leads.Count;
                    }
                }
                return outcomes;
            }, _stopping.Token);
            for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(new IntakeAnswer(results[i], null));
        }
        finally
        {
            if (lockWait is not null)
            {
                cache?.Dispose();
                lockWait.Dispose();
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>A request's leads in the queue; <see cref="Deadline"/> is a <see cref="Stopwatch"/> timestamp.</summary>
    private sealed class Pending(string workspaceId, IReadOnlyList<NewLead> leads, long deadline)
    {
        private const int Queued = 0, Taken = 1, Withdrawn = 2;
        private int _state;

        public string WorkspaceId { get; } = workspaceId;

        public IReadOnlyList<NewLead> Leads { get; } = leads;

        public long Deadline { get; } = deadline;

        public TaskCompletionSource<IntakeAnswer> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The writer takes it; false when its sender withdrew it first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Its sender gives up; false when the writer took it first.</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared intake transaction of {Count} submissions failed; writing each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception error, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook overloaded: {Queued} leads are waiting to be stored (limit {Limit}, Intake:MaxQueuedLeads); new requests get 503 until there is room")]
    private static partial void LogOverloaded(ILogger logger, int queued, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook takes leads again ({Queued} waiting)")]
    private static partial void LogAcceptingAgain(ILogger logger, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} webhook leads were not stored within {Seconds} s (Intake:WriteTimeoutSeconds); answered 503, nothing stored")]
    private static partial void LogTimedOut(ILogger logger, int count, int seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database is full: {Count} webhook leads were refused with 503 and nothing was stored; free disk space")]
    private static partial void LogFull(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database was locked by another process for more than {Seconds} s: {Count} webhook leads were refused with 503 and nothing was stored")]
    private static partial void LogLocked(ILogger logger, int count, int seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database could not be written: {Count} webhook leads were refused with 503")]
    private static partial void LogUnavailable(ILogger logger, Exception error, int count);
}
