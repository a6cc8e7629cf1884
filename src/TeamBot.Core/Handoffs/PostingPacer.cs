using TeamBot.Core.Chat;

namespace TeamBot.Core.Handoffs;

/// <summary>
/// Keeps posts into each place within the platform's pace: at most N posts in any window of the given length
/// (a sliding window, so a burst never exceeds what a fixed-window limiter on the platform allows). Redraws of each
/// handoff card are paced the same way (<see cref="CardRedraws"/>).
/// </summary>
public sealed class PostingPacer(TimeProvider clock)
{
    /// <summary>
    /// How often a handoff card is redrawn: once, then not again for a second. A busy card (a whole team reacting) would
    /// otherwise be edited once per change: on Discord each edit spends the channel's rate limit, and the dispatcher, which
    /// delivers one entry at a time, would spend itself on redraws while new handoffs wait. The changes that follow within
    /// the second are drawn together when it ends (the outbox keeps one waiting refresh per card). Kept per process: the
    /// dispatchers of a scale-out each keep their own, which only lets more redraws through.
    /// </summary>
    public static PostingPace CardRedraws { get; } = new(1, TimeSpan.FromSeconds(1));

    private const int PruneEvery = 1024;
    private readonly Dictionary<object, (Queue<DateTimeOffset> Sent, TimeSpan Per)> _recent = [];
    private readonly Lock _lock = new();
    private int _calls;

    /// <summary>Takes a slot now if one is free; otherwise says when the next one frees up.</summary>
    public bool TryAcquire(PlaceRef place, PostingPace pace, out DateTimeOffset nextSlot) => TryAcquire((object)place, pace, out nextSlot);

    /// <summary>Takes the card's turn to be redrawn now, or says when its next turn comes (<see cref="CardRedraws"/>).</summary>
    public bool TryRedraw(long leadId, out DateTimeOffset nextTurn) => TryAcquire(new Card(leadId), CardRedraws, out nextTurn);

    /// <summary>A lead's handoff card as a key of its own, never equal to a place.</summary>
    private sealed record Card(long LeadId);

    private bool TryAcquire(object key, PostingPace pace, out DateTimeOffset nextSlot)
    {
        var now = clock.GetUtcNow();
        nextSlot = now;
        if (pace.Posts == int.MaxValue) return true;

        lock (_lock)
        {
            if (++_calls % PruneEvery == 0) Prune(now);
            if (!_recent.TryGetValue(key, out var entry))
            {
                entry = (new Queue<DateTimeOffset>(), pace.Per);
                _recent[key] = entry;
            }
            var sent = entry.Sent;
            while (sent.Count > 0 && sent.Peek() <= now - pace.Per) sent.Dequeue();
            if (sent.Count < pace.Posts)
            {
                sent.Enqueue(now);
                return true;
            }
            nextSlot = sent.Peek() + pace.Per;
            return false;
        }
    }

    /// <summary>Forgets places and cards whose window has passed (one per lead thread adds up otherwise).</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, (sent, per)) in _recent.ToList())
        {
            if (sent.Count == 0 || sent.Last() <= now - per) _recent.Remove(key);
        }
    }

    /// <summary>How many places the pacer remembers (for tests of its memory).</summary>
    public int PlacesRemembered
    {
        get { lock (_lock) return _recent.Count; }
    }
}
