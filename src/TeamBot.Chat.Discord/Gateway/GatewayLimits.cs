using TeamBot.Chat.Discord.Rest;

namespace TeamBot.Chat.Discord.Gateway;

/// <summary>
/// Discord's send limit per connection: 120 events per 60 s. Ordinary sends stop at 110 so heartbeats always
/// have room. Frames over 4096 bytes are refused (Discord would close with 4002).
/// </summary>
internal sealed class GatewaySendLimiter(TimeProvider clock, int limit = 120, int heartbeatReserve = 10)
{
    public const int MaxFrameBytes = 4096;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _lock = new();

    /// <summary>Zero when a frame may go now (and counts it), else how long to wait.</summary>
    public TimeSpan TryTake(bool heartbeat)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            while (_sent.Count > 0 && now - _sent.Peek() >= Window) _sent.Dequeue();
            var cap = heartbeat ? limit : limit - heartbeatReserve;
            if (_sent.Count >= cap) return _sent.ElementAt(_sent.Count - cap) + Window - now;
            _sent.Enqueue(now);
            return TimeSpan.Zero;
        }
    }

    public static void CheckSize(int bytes)
    {
        if (bytes > MaxFrameBytes) throw new ArgumentException($"A gateway frame of {bytes} bytes is over Discord's {MaxFrameBytes}-byte limit.", nameof(bytes));
    }
}

/// <summary>
/// Discord's identify limits, shared by every shard of the process: no identify while <c>remaining</c> is 0 (wait
/// <c>reset_after</c>), and one identify per rate-limit key (<c>shard_id % max_concurrency</c>) every 5 s.
/// </summary>
public sealed class IdentifyGate(TimeProvider clock)
{
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(5);
    private readonly Dictionary<int, DateTimeOffset> _nextByKey = [];
    private readonly Lock _lock = new();

    public async Task WaitAsync(int shardId, SessionStartLimit limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (limit.Remaining <= 0) await Task.Delay(limit.ResetAfter, clock, ct).ConfigureAwait(false);
        var key = shardId % Math.Max(1, limit.MaxConcurrency);
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = clock.GetUtcNow();
                var next = _nextByKey.GetValueOrDefault(key, DateTimeOffset.MinValue);
                wait = next - now;
                if (wait <= TimeSpan.Zero)
                {
                    _nextByKey[key] = now + Spacing;
                    return;
                }
            }
            await Task.Delay(wait, clock, ct).ConfigureAwait(false);
        }
    }
}
