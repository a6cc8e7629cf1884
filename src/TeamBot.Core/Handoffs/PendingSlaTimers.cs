namespace TeamBot.Core.Handoffs;

/// <summary>
/// SLA timers of handoffs just posted, waiting for the dispatcher to have nothing to post, so that setting a timer (a
/// write to the scheduler's tables) never holds up the next post. Losing them in a crash is harmless: each lead's SLA
/// deadline is saved with its handoff, and the recovery sweep sets every missing timer (at start and every few minutes).
/// </summary>
public sealed class PendingSlaTimers(ISlaScheduler scheduler)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, DateTimeOffset> _due = [];
    private DateTimeOffset? _oldest;

    /// <summary>Sets the lead's timer at the dispatcher's next quiet moment (replacing one added before).</summary>
    public void Add(long leadId, DateTimeOffset dueAt, DateTimeOffset now)
    {
        lock (_lock)
        {
            _due[leadId] = dueAt;
            _oldest ??= now;
        }
    }

    /// <summary>Whether a timer has waited since before <paramref name="time"/>.</summary>
    public bool WaitingSince(DateTimeOffset time)
    {
        lock (_lock) return _oldest < time;
    }

    /// <summary>Sets every waiting timer.</summary>
    public async Task SetAsync(CancellationToken cancellationToken)
    {
        List<KeyValuePair<long, DateTimeOffset>> due;
        lock (_lock)
        {
            if (_due.Count == 0) return;
            due = [.. _due];
            _due.Clear();
            _oldest = null;
        }
        foreach (var (leadId, dueAt) in due) await scheduler.ScheduleAsync(leadId, dueAt, cancellationToken);
    }
}
