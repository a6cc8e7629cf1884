using TeamBot.Core.Chat;

namespace TeamBot.Core.Handoffs;

/// <summary>
/// Keeps posts into each place within the platform's pace: at most N posts in any window of the given length
/// (a sliding window, so a burst never exceeds what a fixed-window limiter on the platform allows).
/// </summary>
public sealed class PostingPacer(TimeProvider clock)
{
    private const int PruneEvery = 1024;
    private readonly Dictionary<PlaceRef, (Queue<DateTimeOffset> Sent, TimeSpan Per)> _recent = [];
    private readonly Lock _lock = new();
    private int _calls;

    /// <summary>Takes a slot now if one is free; otherwise says when the next one frees up.</summary>
    public bool TryAcquire(PlaceRef place, PostingPace pace, out DateTimeOffset nextSlot)
    {
        var now = clock.GetUtcNow();
        nextSlot = now;
        if (pace.Posts == int.MaxValue) return true;

        lock (_lock)
        {
            if (++_calls % PruneEvery == 0) Prune(now);
            if (!_recent.TryGetValue(place, out var entry))
            {
                entry = (new Queue<DateTimeOffset>(), pace.Per);
                _recent[place] = entry;
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

    /// <summary>Forgets places whose window has passed (one per lead thread adds up otherwise).</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (place, (sent, per)) in _recent.ToList())
        {
            if (sent.Count == 0 || sent.Last() <= now - per) _recent.Remove(place);
        }
    }

    /// <summary>How many places the pacer remembers (for tests of its memory).</summary>
    public int PlacesRemembered
    {
        get { lock (_lock) return _recent.Count; }
    }
}
