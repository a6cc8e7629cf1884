namespace TeamBot.Core.Handoffs;

/// <summary>A chat platform that is failing: since when, how often in a row, the last error, and when it is tried again.</summary>
public sealed record PlatformOutage(string Platform, DateTimeOffset Since, int Failures, string LastError, DateTimeOffset RetryAt);

/// <summary>
/// Which chat platforms are down, as the outbox dispatcher found them. When a post fails for a reason that is not the post's
/// own (a 5xx, a timeout, a refused connection), the whole platform waits, with exponential backoff and jitter, instead of
/// every queued post trying and failing on its own: then one post probes, and when it goes through the queue drains in
/// its order. Rate limits are not outages: they say how long to wait, and only that post waits. The health check reports
/// what is here.
/// </summary>
public sealed class PlatformOutages(DispatchSettings settings)
{
    private readonly Dictionary<string, PlatformOutage> _down = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The platforms failing now, by name.</summary>
    public IReadOnlyList<PlatformOutage> Current
    {
        get
        {
            lock (_lock) return [.. _down.Values.OrderBy(o => o.Platform, StringComparer.Ordinal)];
        }
    }

    /// <summary>Whether any platform is failing (read without a lock, on every dispatch).</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    private int _count;

    /// <summary>Until when posts to <paramref name="platform"/> wait; null when one may go now.</summary>
    public DateTimeOffset? WaitUntil(string platform, DateTimeOffset now)
    {
        lock (_lock) return _down.TryGetValue(platform, out var outage) && outage.RetryAt > now ? outage.RetryAt : null;
    }

    /// <summary>A post failed because the platform is unavailable: when the next one may try.</summary>
    public DateTimeOffset Failed(string platform, string error, DateTimeOffset now)
    {
        lock (_lock)
        {
            var failures = _down.TryGetValue(platform, out var outage) ? outage.Failures + 1 : 1;
            var retryAt = now + settings.Backoff(failures);
            _down[platform] = new PlatformOutage(platform, outage?.Since ?? now, failures, error, retryAt);
            Volatile.Write(ref _count, _down.Count);
            return retryAt;
        }
    }

    /// <summary>A post went through: the platform is back.</summary>
    /// <returns>The outage that ended, if there was one.</returns>
    public PlatformOutage? Succeeded(string platform)
    {
        lock (_lock)
        {
            if (!_down.Remove(platform, out var outage)) return null;
            Volatile.Write(ref _count, _down.Count);
            return outage;
        }
    }
}
