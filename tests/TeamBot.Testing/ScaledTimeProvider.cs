using System.Diagnostics;

namespace TeamBot.Testing;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than the real one, for both sides of a test: timers and delays
/// made through it fire after 1/<see cref="Factor"/> of their real duration. A bot and a fake platform sharing it see
/// minutes of rate-limit windows pass in seconds, with every limit still enforced in the time they both agree on.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _start;
    private readonly long _origin = Stopwatch.GetTimestamp();

    public ScaledTimeProvider(double factor)
        : this(factor, DateTimeOffset.UtcNow)
    {
    }

    /// <summary>
    /// A clock whose time ran <paramref name="factor"/> times faster since <paramref name="epoch"/>: clocks made with the same
    /// factor and epoch agree, even in different processes (a bot and a fake platform started apart).
    /// </summary>
    public ScaledTimeProvider(double factor, DateTimeOffset epoch)
    {
        Factor = factor > 0 ? factor : throw new ArgumentOutOfRangeException(nameof(factor));
        _start = epoch + ((DateTimeOffset.UtcNow - epoch) * factor);
    }

    public double Factor { get; }

    public override DateTimeOffset GetUtcNow() => _start + (Stopwatch.GetElapsedTime(_origin) * Factor);

    public override long GetTimestamp() => _origin + (long)((Stopwatch.GetTimestamp() - _origin) * Factor);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / Factor;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
