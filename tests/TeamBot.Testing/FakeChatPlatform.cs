using System.Collections.Concurrent;
using System.Globalization;
using TeamBot.Core.Chat;

namespace TeamBot.Testing;

/// <summary>
/// A chat platform in memory: records every post, update, thread and reaction, honours idempotency keys like a
/// real platform with nonces, and can be told to fail for a while.
/// </summary>
public sealed class FakeChatPlatform(string name = "fake") : IChatPlatform
{
    private readonly ConcurrentDictionary<string, MessageRef> _byKey = new(StringComparer.Ordinal);
    private int _nextId;

    public string Name { get; } = name;

    public PostingPace Pace { get; set; } = PostingPace.Unlimited;

    /// <summary>While set, every call fails with this exception.</summary>
    public Exception? FailWith { get; set; }

    public ConcurrentQueue<(PlaceRef Place, OutgoingMessage Message, MessageRef Posted, string Key)> Posts { get; } = new();

    public ConcurrentQueue<(MessageRef Target, OutgoingMessage Message)> Updates { get; } = new();

    public ConcurrentQueue<(MessageRef Message, string Emoji)> Reactions { get; } = new();

    public PostingPace PaceFor(PlaceRef place) => Pace;

    public Task<MessageRef> PostAsync(PlaceRef place, OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var posted = _byKey.GetOrAdd(idempotencyKey, _ =>
        {
            var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            var reference = new MessageRef(Name, place.Workspace, place.Id, id);
            Posts.Enqueue((place, message, reference, idempotencyKey));
            return reference;
        });
        return Task.FromResult(posted);
    }

    public Task UpdateAsync(MessageRef target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Updates.Enqueue((target, message));
        return Task.CompletedTask;
    }

    public Task<PlaceRef> OpenThreadAsync(MessageRef root, string name, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(new PlaceRef(Name, root.Workspace, "thread-" + root.MessageId));
    }

    public Task<PlaceRef> OpenDirectAsync(string workspace, string userId, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(new PlaceRef(Name, workspace, "dm-" + userId));
    }

    public Task AddReactionAsync(MessageRef message, string emoji, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Reactions.Enqueue((message, emoji));
        return Task.CompletedTask;
    }

    public IReadOnlyList<(PlaceRef Place, OutgoingMessage Message, MessageRef Posted, string Key)> PostsIn(string placeId) =>
        Posts.Where(p => p.Place.Id == placeId).ToList();

    private void ThrowIfFailing()
    {
        if (FailWith is { } failure) throw failure;
    }
}

/// <summary>Records SLA timers instead of running them; tests fire them by calling the SLA service.</summary>
public sealed class RecordingSlaScheduler : Core.Handoffs.ISlaScheduler
{
    public ConcurrentDictionary<long, DateTimeOffset> Due { get; } = new();

    public Task ScheduleAsync(long leadId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        Due[leadId] = dueAt;
        return Task.CompletedTask;
    }

    public Task<int> EnsureAllAsync(IReadOnlyList<(long LeadId, DateTimeOffset DueAt)> running, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(running.Count(r => Due.TryAdd(r.LeadId, r.DueAt)));
}

/// <summary>Records stand-up timers instead of running them; tests fire them by calling the stand-up service.</summary>
public sealed class RecordingStandupScheduler : Core.Standups.IStandupScheduler
{
    public ConcurrentDictionary<long, DateTimeOffset> Prompts { get; } = new();

    public ConcurrentDictionary<long, DateTimeOffset> Runs { get; } = new();

    public Task SchedulePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Prompts[standupId] = at;
        return Task.CompletedTask;
    }

    public Task CancelPromptAsync(long standupId, CancellationToken cancellationToken)
    {
        Prompts.TryRemove(standupId, out _);
        return Task.CompletedTask;
    }

    public Task ScheduleRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Runs[runId] = at;
        return Task.CompletedTask;
    }

    public Task EnsurePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Prompts.TryAdd(standupId, at);
        return Task.CompletedTask;
    }

    public Task EnsureRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Runs.TryAdd(runId, at);
        return Task.CompletedTask;
    }

    /// <summary>Forgets every timer, as a bot whose scheduler lost its state would.</summary>
    public void Clear()
    {
        Prompts.Clear();
        Runs.Clear();
    }
}
