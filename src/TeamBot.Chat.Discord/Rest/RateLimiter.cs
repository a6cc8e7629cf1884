using System.Collections.Concurrent;
using System.Globalization;

namespace TeamBot.Chat.Discord.Rest;

/// <summary>
/// Discord's HTTP limits, learned from the response headers: per-bucket (route hash + major parameter), one
/// request in flight per bucket, the global 50 requests per second, and pauses after a 429.
/// </summary>
internal sealed class RateLimiter(TimeProvider clock, int globalPerSecond = 50)
{
    private readonly ConcurrentDictionary<string, string> _routeHashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _globalLock = new();
    private DateTimeOffset _globalPausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _globalWindowStart = DateTimeOffset.MinValue;
    private int _globalCount;

    /// <summary>Waits until the route's bucket and the global limit allow one request, and holds the bucket until it is released.</summary>
    public async Task<Lease> AcquireAsync(DiscordRoute route, CancellationToken ct)
    {
        var bucket = BucketFor(route);
        await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = clock.GetUtcNow();
                TimeSpan wait;
                lock (bucket)
                {
                    if (bucket.Remaining <= 0 && now >= bucket.ResetAt) bucket.Remaining = Math.Max(1, bucket.Limit);
                    wait = bucket.Remaining <= 0 ? bucket.ResetAt - now : TimeSpan.Zero;
                }
                if (wait <= TimeSpan.Zero && !route.GlobalExempt) wait = TakeGlobalSlot(now);
                if (wait <= TimeSpan.Zero) break;
                await Task.Delay(wait, clock, ct).ConfigureAwait(false);
            }
            return new Lease(this, route, bucket);
        }
        catch
        {
            bucket.Gate.Release();
            throw;
        }
    }

    /// <summary>Stops every request until <paramref name="until"/>: a 429 with <c>global: true</c>.</summary>
    public void PauseGlobally(DateTimeOffset until)
    {
        lock (_globalLock)
        {
            if (until > _globalPausedUntil) _globalPausedUntil = until;
        }
    }

    private TimeSpan TakeGlobalSlot(DateTimeOffset now)
    {
        lock (_globalLock)
        {
            if (now < _globalPausedUntil) return _globalPausedUntil - now;
            if (now - _globalWindowStart >= TimeSpan.FromSeconds(1))
            {
                _globalWindowStart = now;
                _globalCount = 0;
            }
            if (_globalCount >= globalPerSecond) return _globalWindowStart + TimeSpan.FromSeconds(1) - now;
            _globalCount++;
            return TimeSpan.Zero;
        }
    }

    private Bucket BucketFor(DiscordRoute route)
    {
        var hash = _routeHashes.GetValueOrDefault(route.Name, route.Name);
        return _buckets.GetOrAdd($"{hash}|{route.Major}", _ => new Bucket());
    }

    private void Learn(DiscordRoute route, Bucket bucket, HttpResponseMessage response)
    {
        var now = clock.GetUtcNow();
        if (Header(response, "X-RateLimit-Bucket") is { Length: > 0 } hash && _routeHashes.TryAdd(route.Name, hash))
        {
            // From now on this route shares the bucket Discord named; carry what was learned so far over to it.
            _buckets.TryAdd($"{hash}|{route.Major}", bucket);
        }
        lock (bucket)
        {
            if (int.TryParse(Header(response, "X-RateLimit-Limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)) bucket.Limit = limit;
            if (int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.None, CultureInfo.InvariantCulture, out var remaining))
            {
                bucket.Remaining = remaining;
            }
            else
            {
                bucket.Remaining = Math.Max(1, bucket.Remaining);
            }
            if (Seconds(Header(response, "X-RateLimit-Reset-After")) is { } after) bucket.ResetAt = now + after;
        }
    }

    /// <summary>A 429 for one bucket: nothing more goes to it until the wait is over.</summary>
    private static void Block(Bucket bucket, DateTimeOffset until)
    {
        lock (bucket)
        {
            bucket.Remaining = 0;
            if (until > bucket.ResetAt) bucket.ResetAt = until;
        }
    }

    internal static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 ? TimeSpan.FromSeconds(s) : null;

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Limit { get; set; } = 1;
        public int Remaining { get; set; } = 1;
        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }

    /// <summary>The right to send one request on a bucket; report the response, then dispose.</summary>
    internal sealed class Lease(RateLimiter owner, DiscordRoute route, Bucket bucket) : IDisposable
    {
        private int _released;

        public void Update(HttpResponseMessage response) => owner.Learn(route, bucket, response);

        public void BlockUntil(DateTimeOffset until) => Block(bucket, until);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) bucket.Gate.Release();
        }
    }
}
