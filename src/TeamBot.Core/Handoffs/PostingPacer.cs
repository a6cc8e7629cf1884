using TeamBot.Core.Chat;

namespace TeamBot.Core.Handoffs;

/// <summary>
/// Keeps posts into each place within the platform's pace: at most N posts in any window of the given length
/// (a sliding window, so a burst never exceeds what a fixed-window limiter on the platform allows).
/// </summary>
public sealed class PostingPacer(TimeProvider clock)
{
    private readonly Dictionary<PlaceRef, Queue<DateTimeOffset>> _recent = [];
    private readonly Lock _lock = new();

    /// <summary>Takes a slot now if one is free; otherwise says when the next one frees up.</summary>
    public bool TryAcquire(PlaceRef place, PostingPace pace, out DateTimeOffset nextSlot)
    {
        var now = clock.GetUtcNow();
        nextSlot = now;
        if (pace.Posts == int.MaxValue) return true;

        lock (_lock)
        {
            if (!_recent.TryGetValue(place, out var sent))
            {
                sent = new Queue<DateTimeOffset>();
                _recent[place] = sent;
            }
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
}
