using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Testing;

namespace TeamBot.Core.Tests.Handoffs;

public class PostingPacerTests
{
    private static readonly PlaceRef Handoffs = new("discord", "guild-1", "handoffs");
    private static readonly PlaceRef General = new("discord", "guild-1", "general");
    private static readonly PostingPace FivePerFiveSeconds = new(5, TimeSpan.FromSeconds(5));

    private readonly ManualClock _clock = new();
    private readonly PostingPacer _pacer;

    public PostingPacerTests()
    {
        _pacer = new PostingPacer(_clock);
    }

    private bool Post(PlaceRef place, PostingPace pace) => _pacer.TryAcquire(place, pace, out _);

    [Fact]
    public void TryAcquire_WhenBurstReachesThePace_RefusesAndSaysWhenTheFirstSlotFrees()
    {
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(_pacer.TryAcquire(Handoffs, FivePerFiveSeconds, out var slot));
            Assert.Equal(_clock.GetUtcNow(), slot);
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.False(_pacer.TryAcquire(Handoffs, FivePerFiveSeconds, out var next));
        Assert.Equal(start + TimeSpan.FromSeconds(5), next);
    }

    [Fact]
    public void TryAcquire_WhenTheOldestPostLeavesTheWindow_FreesExactlyOneSlot()
    {
        var start = _clock.GetUtcNow();
        Assert.True(Post(Handoffs, FivePerFiveSeconds));
        _clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 4; i++) Assert.True(Post(Handoffs, FivePerFiveSeconds));

        _clock.Set(start + TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(Post(Handoffs, FivePerFiveSeconds));

        _clock.Set(start + TimeSpan.FromSeconds(5));
        Assert.True(Post(Handoffs, FivePerFiveSeconds));
        Assert.False(_pacer.TryAcquire(Handoffs, FivePerFiveSeconds, out var next));
        Assert.Equal(start + TimeSpan.FromSeconds(6), next);
    }

    [Fact]
    public void TryAcquire_WhenPostingAsFastAsAllowed_NeverExceedsThePaceInAnyWindow()
    {
        var pace = new PostingPace(3, TimeSpan.FromSeconds(10));
        var posted = new List<DateTimeOffset>();
        var end = _clock.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (_clock.GetUtcNow() < end)
        {
            if (_pacer.TryAcquire(Handoffs, pace, out var next)) posted.Add(_clock.GetUtcNow());
            else _clock.Set(next);
            _clock.Advance(TimeSpan.FromMilliseconds(700));
        }

        Assert.True(posted.Count >= 30, $"Only {posted.Count} posts in two minutes.");
        foreach (var at in posted)
        {
            Assert.True(posted.Count(p => p >= at && p < at + pace.Per) <= pace.Posts, $"More than {pace.Posts} posts in the window from {at:HH:mm:ss.fff}.");
        }
    }

    [Fact]
    public void TryAcquire_WhenOnePlaceIsFull_OtherPlacesStillPost()
    {
        for (var i = 0; i < 5; i++) Assert.True(Post(Handoffs, FivePerFiveSeconds));

        Assert.False(Post(Handoffs, FivePerFiveSeconds));
        Assert.True(Post(General, FivePerFiveSeconds));
        Assert.True(Post(Handoffs with { Workspace = "guild-2" }, FivePerFiveSeconds));
    }

    [Fact]
    public void TryAcquire_WhenUnlimited_NeverRefuses()
    {
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(_pacer.TryAcquire(Handoffs, PostingPace.Unlimited, out var slot));
            Assert.Equal(_clock.GetUtcNow(), slot);
        }
    }

    [Fact]
    public void TryAcquire_ForgetsPlacesWhoseWindowHasPassed()
    {
        var clock = new ManualClock();
        var pacer = new PostingPacer(clock);
        var pace = new PostingPace(5, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 2000; i++) pacer.TryAcquire(new PlaceRef("local", "local", $"thread-{i}"), pace, out _);
        Assert.True(pacer.PlacesRemembered > 900, "recent places are remembered");

        clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 1024; i++) pacer.TryAcquire(new PlaceRef("local", "local", "handoffs"), pace, out _);
        pacer.TryAcquire(new PlaceRef("local", "local", "general"), pace, out _);

        Assert.True(pacer.PlacesRemembered < 10, $"old places are forgotten ({pacer.PlacesRemembered} left)");
    }
}
