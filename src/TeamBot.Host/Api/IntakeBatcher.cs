using System.Threading.Channels;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Api;

/// <summary>
/// Group commit for the webhook: submissions that arrive while a commit is under way are written together, in one
/// transaction, by one writer. SQLite takes one writer at a time and makes each commit durable on disk, so 32 senders
/// each committing their own lead mostly wait for each other; together they pay for one commit. A sender is answered
/// only after the transaction holding its leads has committed, so 202 still means stored.
/// </summary>
/// <remarks>
/// The leads of one workspace in a group go to intake as one list in arrival order, so duplicates within a group are
/// found as within one request (a later copy points at the first). If a shared transaction fails, each of its
/// submissions is written again on its own, so that one bad submission fails alone.
/// </remarks>
internal sealed partial class IntakeBatcher(IServiceScopeFactory scopes, ILogger<IntakeBatcher> logger) : IDisposable
{
    /// <summary>At most this many leads share one transaction (a batch of requests of 1,000 leads stays reasonable).</summary>
    public const int MaxLeadsPerCommit = 5_000;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private Task? _writer;

    public async Task<IReadOnlyList<IntakeOutcome>> SubmitAsync(string workspaceId, IReadOnlyList<NewLead> leads, CancellationToken cancellationToken)
    {
        EnsureWriter();
        var pending = new Pending(workspaceId, leads, new TaskCompletionSource<IReadOnlyList<IntakeOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued, the leads are written even if this sender goes away; it is just not told.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _stopping.Dispose();
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
                group.Add(next);
                leads += next.Leads.Count;
            }
            if (group.Count == 0) continue;
            try
            {
                await CommitAsync(group);
            }
            catch (Exception ex) when (group.Count > 1)
            {
                LogGroupFailed(logger, ex, group.Count);
                foreach (var one in group) await CommitAloneAsync(one);
            }
            catch (Exception ex)
            {
                group[0].Done.TrySetException(ex);
            }
        }
    }

    private async Task CommitAloneAsync(Pending pending)
    {
        try
        {
            await CommitAsync([pending]);
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    /// <summary>One transaction for the whole group; each sender is answered after the commit.</summary>
    private async Task CommitAsync(IReadOnlyList<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var intake = services.GetRequiredService<LeadIntake>();
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
        for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(results[i]);
    }

    private sealed record Pending(string WorkspaceId, IReadOnlyList<NewLead> Leads, TaskCompletionSource<IReadOnlyList<IntakeOutcome>> Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared intake transaction of {Count} submissions failed; writing each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception error, int count);
}
