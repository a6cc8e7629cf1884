namespace TeamBot.Core.Handoffs;

/// <summary>
/// How often a handoff card is redrawn: at most once per <see cref="Interval"/>. A busy card (a whole team reacting) would
/// otherwise be edited once per change: on Discord each edit spends the channel's rate limit, and the dispatcher, which
/// delivers one entry at a time, would spend itself on redraws while new handoffs wait. The first change shows at once; the
/// ones that follow within the interval are drawn together when it ends (the outbox keeps one waiting refresh per card).
/// </summary>
/// <remarks>Kept in memory, per process: the dispatchers of a scale-out each keep their own, which only lets more redraws through.</remarks>
public sealed class CardRedraws(TimeProvider clock)
{
    /// <summary>The shortest time between two redraws of one card.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>From this many cards on, those whose interval is over are forgotten (a redraw then is not held back anyway).</summary>
    private const int ForgetFrom = 4096;

    private readonly Dictionary<long, DateTimeOffset> _drawn = [];
    private readonly Lock _lock = new();

    /// <summary>Takes the card's turn now; or, when it was redrawn less than <see cref="Interval"/> ago, says when its next turn comes.</summary>
    public bool TryTake(long leadId, out DateTimeOffset next)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_drawn.TryGetValue(leadId, out var last) && now < last + Interval)
            {
                next = last + Interval;
                return false;
            }
            if (_drawn.Count >= ForgetFrom)
            {
                foreach (var over in _drawn.Where(d => d.Value + Interval <= now).Select(d => d.Key).ToList()) _drawn.Remove(over);
            }
            _drawn[leadId] = now;
            next = now;
            return true;
        }
    }
}
