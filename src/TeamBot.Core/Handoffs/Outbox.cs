using System.Text.Json;
using System.Text.Json.Serialization;
using TeamBot.Core.Chat;

namespace TeamBot.Core.Handoffs;

/// <summary>
/// Work for a chat platform, stored in the same transaction as the change that caused it, so that nothing
/// a sender or a rep was told is lost if the process dies before the platform hears of it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PostHandoff), "handoff")]
[JsonDerivedType(typeof(RefreshCard), "refresh-card")]
[JsonDerivedType(typeof(PostInThread), "thread-note")]
[JsonDerivedType(typeof(PostReasonPrompt), "reason-prompt")]
[JsonDerivedType(typeof(PostToChannel), "channel-note")]
[JsonDerivedType(typeof(SendDirect), "direct")]
[JsonDerivedType(typeof(AddBotReaction), "reaction")]
[JsonDerivedType(typeof(PostNote), "note")]
[JsonDerivedType(typeof(RedactPost), "redact")]
[JsonDerivedType(typeof(RenameThread), "rename-thread")]
public abstract record OutboxMessage
{
    /// <summary>The lead whose thread this belongs to; its items are delivered in order, after the handoff.</summary>
    [JsonIgnore]
    public virtual long? LeadId => null;

    /// <summary>Messages that share a sequence (e.g. one stand-up run's prompt, then its summary) are delivered in order.</summary>
    [JsonIgnore]
    public virtual string? SequenceKey => null;
}

public sealed record PostHandoff(long Lead) : OutboxMessage
{
    public override long? LeadId => Lead;
}

public sealed record RefreshCard(long Lead) : OutboxMessage
{
    public override long? LeadId => Lead;
}

public sealed record PostInThread(long Lead, string Text, IReadOnlyList<long> Notify) : OutboxMessage
{
    public override long? LeadId => Lead;
}

public sealed record PostReasonPrompt(long Lead, long PersonId, Feedback.Rating Rating) : OutboxMessage
{
    public override long? LeadId => Lead;
}

/// <summary>Edits a message TeamBot posted about a lead (a thread note, a reason prompt) to say its content was erased.</summary>
public sealed record RedactPost(long Lead, MessageRef Message) : OutboxMessage
{
    public override long? LeadId => Lead;
}

/// <summary>Gives a lead's thread the name it has now (on Discord a thread is named after the lead; once erased, no longer).</summary>
public sealed record RenameThread(long Lead) : OutboxMessage
{
    public override long? LeadId => Lead;
}

public sealed record PostToChannel(string WorkspaceId, string PlaceId, string Text, IReadOnlyList<long> Notify) : OutboxMessage;

public sealed record SendDirect(string WorkspaceId, long PersonId, string Text) : OutboxMessage;

public sealed record AddBotReaction(MessageRef Message, string Emoji) : OutboxMessage;

/// <summary>
/// A message of a rhythm (a stand-up prompt or summary, a digest part, an alert): text to a channel, to a
/// person directly, or into the thread of an earlier note. <paramref name="Subject"/> names what it is about
/// (e.g. <c>standup-run:12</c>) so that replies in its thread, and later notes, find it;
/// <paramref name="OpenThread"/> opens a thread under it with that name; notes of one
/// <paramref name="Sequence"/> are delivered in the order they were enqueued.
/// </summary>
public sealed record PostNote(
    string WorkspaceId,
    NoteTarget Target,
    string Text,
    IReadOnlyList<long> Notify,
    string? Subject = null,
    string? OpenThread = null,
    string? Sequence = null) : OutboxMessage
{
    public override string? SequenceKey => Sequence;
}

/// <summary>Where a note goes: exactly one of a channel (place id), a person (their direct messages), or the thread of the note with that subject.</summary>
public sealed record NoteTarget(string? Channel = null, long? Person = null, string? ThreadOf = null)
{
    public static NoteTarget ToChannel(string placeId) => new(Channel: placeId);

    public static NoteTarget ToPerson(long personId) => new(Person: personId);

    public static NoteTarget InThreadOf(string subject) => new(ThreadOf: subject);
}

public sealed record OutboxEntry(long Id, string WorkspaceId, OutboxMessage Message, int Attempts, DateTimeOffset DueAt);

public interface IOutboxStore
{
    Task EnqueueAsync(string workspaceId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Enqueues several messages in one write (a webhook batch's handoffs), in order.</summary>
    Task EnqueueAllAsync(string workspaceId, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues unless an identical message is still waiting and nobody has started on it (card refreshes
    /// coalesce; a refresh already being delivered may have read the lead too early, so it does not count).
    /// </summary>
    Task EnqueueOnceAsync(string workspaceId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="EnqueueOnceAsync"/> for several messages about leads (the card refreshes of reactions handled together),
    /// checked with one read and written with one insert.
    /// </summary>
    Task EnqueueOnceAllAsync(IReadOnlyList<(string WorkspaceId, OutboxMessage Message)> messages, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes pending entries due by <paramref name="now"/>, oldest first, that have no earlier pending entry
    /// for the same lead (so a lead's entries are delivered in order), and leases them until
    /// <paramref name="leaseUntil"/> so that no other dispatcher delivers them meanwhile.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>Whether any pending entry is due by <paramref name="now"/> and not leased: a read, so that an idle dispatcher takes no write lock.</summary>
    Task<bool> AnyDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives leased entries back untouched (they waited their turn this pass).</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> entryIds, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task CompleteAsync(long entryId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Tries again later; <paramref name="failed"/> counts an attempt, otherwise the entry only waited its turn.</summary>
    Task PostponeAsync(long entryId, DateTimeOffset dueAt, string? problem, bool failed, CancellationToken cancellationToken);

    /// <summary>Gives up on every pending entry of a lead (its handoff could not be posted).</summary>
    Task FailPendingForLeadAsync(long leadId, DateTimeOffset at, string problem, CancellationToken cancellationToken);

    /// <summary>Gives up on an entry the platform refused for good.</summary>
    Task FailAsync(long entryId, DateTimeOffset at, string problem, CancellationToken cancellationToken);

    /// <summary>Whether a message of this kind for this lead (and person, when the message names one) is still waiting.</summary>
    Task<bool> IsPendingAsync(string kind, long leadId, long? personId, CancellationToken cancellationToken);

    /// <summary>Handoffs waiting to be posted, per workspace.</summary>
    Task<IReadOnlyDictionary<string, int>> CountPendingHandoffsAsync(CancellationToken cancellationToken);
}

public static class OutboxCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Encode(OutboxMessage message) => JsonSerializer.Serialize(message, Options);

    public static OutboxMessage Decode(string json) =>
        JsonSerializer.Deserialize<OutboxMessage>(json, Options) ?? throw new JsonException("Empty outbox message.");

    /// <summary>The message's kind as stored, e.g. "handoff".</summary>
    public static string Kind(OutboxMessage message) => message switch
    {
        PostHandoff => "handoff",
        RefreshCard => "refresh-card",
        PostInThread => "thread-note",
        PostReasonPrompt => "reason-prompt",
        PostToChannel => "channel-note",
        SendDirect => "direct",
        AddBotReaction => "reaction",
        PostNote => "note",
        RedactPost => "redact",
        RenameThread => "rename-thread",
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Unknown outbox message."),
    };
}

/// <summary>Wakes the dispatcher when new work was committed.</summary>
public sealed class OutboxSignal : IDisposable
{
    public void Dispose() => _signal.Dispose();

    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up is enough.
        }
    }

    /// <summary>Waits for a notification, at most <paramref name="timeout"/> as <paramref name="clock"/> counts it; true when notified.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

public enum PostedKind
{
    Handoff = 0,
    ReasonPrompt = 1,
    ThreadNote = 2,
    Notice = 3,
    Note = 4,
}

/// <summary>
/// A message TeamBot posted, and what it is about: a lead, or for a note its subject; <paramref name="Thread"/>
/// is the place id of the thread TeamBot opened under it.
/// </summary>
public sealed record PostedMessage(MessageRef Message, PostedKind Kind, long? LeadId, long? PersonId, string? Subject = null, string? Thread = null);

public interface IPostedMessageStore
{
    Task RecordAsync(PostedMessage posted, CancellationToken cancellationToken);

    Task<PostedMessage?> FindAsync(MessageRef message, CancellationToken cancellationToken);

    /// <summary>Whether TeamBot posted a message of this kind about the lead (to this person, when given).</summary>
    Task<bool> AnyAsync(long leadId, PostedKind kind, long? personId, CancellationToken cancellationToken);

    /// <summary>The note TeamBot posted with this subject (the first, if several), or null.</summary>
    Task<PostedMessage?> FindBySubjectAsync(string workspaceId, string subject, CancellationToken cancellationToken);

    /// <summary>The note under which TeamBot opened this thread, or null.</summary>
    Task<PostedMessage?> FindByThreadAsync(PlaceRef thread, CancellationToken cancellationToken);
}
