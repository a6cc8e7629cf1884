using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// Group commit for reactions. A busy server sends thousands of reactions a second, and one transaction each means one
/// durable commit each: reactions queue here instead, and one writer hands every run of them that can share a
/// transaction (<see cref="ChatInbox.CanShareCommit"/>) to Core together. They are still handled in the order they
/// arrived, and a shard's next other event waits until the reactions before it are handled.
/// </summary>
public sealed partial class DiscordBot
{
    /// <summary>At most this many reactions share one transaction, so that other writers never wait long for it.</summary>
    internal const int MaxReactionsPerCommit = 500;

    private readonly Channel<ReactionChanged> _reactions = Channel.CreateBounded<ReactionChanged>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Lock _reactionWriterLock = new();
    private Task? _reactionWriter;
    private long _reactionsQueued;
    private long _reactionsHandled;
    private TaskCompletionSource _reactionProgress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task QueueReactionAsync(ReactionChanged reaction, CancellationToken ct)
    {
        lock (_reactionWriterLock) _reactionWriter ??= Task.Run(() => WriteReactionsAsync(ct), CancellationToken.None);
        Interlocked.Increment(ref _reactionsQueued);
        await _reactions.Writer.WriteAsync(reaction, ct);
    }

    /// <summary>Waits until every reaction queued so far is handled.</summary>
    private async Task ReactionsHandledAsync(CancellationToken ct)
    {
        var queued = Interlocked.Read(ref _reactionsQueued);
        while (true)
        {
            var progress = Volatile.Read(ref _reactionProgress);
            if (Interlocked.Read(ref _reactionsHandled) >= queued) return;
            await progress.Task.WaitAsync(ct);
        }
    }

    /// <summary>Ends the writer once the queued reactions are handled (at shutdown).</summary>
    private async Task StopReactionsAsync()
    {
        _reactions.Writer.TryComplete();
        Task? writer;
        lock (_reactionWriterLock) writer = _reactionWriter;
        if (writer is not null) await writer;
    }

    private async Task WriteReactionsAsync(CancellationToken ct)
    {
        var reader = _reactions.Reader;
        var group = new List<ReactionChanged>(MaxReactionsPerCommit);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            while (group.Count < MaxReactionsPerCommit && reader.TryRead(out var next)) group.Add(next);
            try
            {
                await HandleReactionsAsync(group, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: what is left is read back from Discord on the next start.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The writer must outlive any one group: the shard's other events wait for it.
                LogWriterFailed(_logger, ex, group.Count);
            }
            Interlocked.Add(ref _reactionsHandled, group.Count);
            Interlocked.Exchange(ref _reactionProgress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>The reactions in order: each run that can share a transaction in one, the others one by one.</summary>
    private async Task HandleReactionsAsync(List<ReactionChanged> group, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<ChatInbox>();
        for (var start = 0; start < group.Count;)
        {
            var end = start;
            while (end < group.Count && inbox.CanShareCommit(group[end])) end++;
            if (end == start)
            {
                await HandleReactionAsync(group[start], ct);
                start++;
                continue;
            }
            var run = group.GetRange(start, end - start);
            start = end;
            IReadOnlyList<ChatReply?> replies;
            try
            {
                replies = await inbox.HandleTogetherAsync(run, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One of them failed and none was kept: each again on its own, so that only the bad one fails.
                LogGroupFailed(_logger, ex, run.Count);
                foreach (var reaction in run) await HandleReactionAsync(reaction, ct);
                continue;
            }
            for (var i = 0; i < run.Count; i++)
            {
                if (replies[i] is { Refusal: true } refusal) await TellAsync(run[i], refusal, ct);
            }
        }
    }

    private async Task HandleReactionAsync(ReactionChanged reaction, CancellationToken ct)
    {
        if (await InboxAsync(reaction, ct) is { Refusal: true } refusal) await TellAsync(reaction, refusal, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: handling {Count} reactions failed; going on with the next ones")]
    private static partial void LogWriterFailed(ILogger logger, Exception error, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: {Count} reactions could not be written together; handling each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception error, int count);
}
