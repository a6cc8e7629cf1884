using TeamBot.Core.Chat;

namespace TeamBot.Data.Tests;

/// <summary>The rhythms as one product: goals and stand-ups speak in the weekly digest, on one scale of what matters.</summary>
public sealed class RhythmsTogetherTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Digest_CarriesGoalProgressAndStandupBlockers_AndRanksThemAmongItsOwnPoints(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Clock.Set(new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero)); // Wednesday 10:00 in Berlin

        // A goal far behind: one handoff of 200 halfway through November.
        await world.CommandAsync("alex", "/goal add name:\"Handoffs in November\" metric:handoffs target:200 period:2026-11-01..2026-11-30 owners:\"maria, sam\"");
        await world.HandOffAsync("only@acme.com");

        // A stand-up where Ana reports a blocker.
        await world.CommandAsync("alex", "/standup create name:Sync channel:general participants:\"sam, ana\" days:Mon-Fri time:09:30 window:4h");
        await world.CommandAsync("alex", "/standup run name:Sync");
        await world.DispatchAsync();
        var prompt = world.Platform.PostsIn("general")[^1];
        await world.SendAsync(new ThreadMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "thread-" + prompt.Posted.MessageId),
            TestWorld.User("ana"), "a1", "1. Case study out\n5. Legal review of the new form"));

        var preview = (await world.CommandAsync("maria", "/digest preview week:this"))!;
        var text = preview.Message.Text!;

        Assert.Equal(ReplyVisibility.Private, preview.Visibility);
        Assert.Contains("Handoffs in November", text);
        Assert.Contains("Legal review of the new form", text);
        var top = text[text.IndexOf("Top things to talk about", StringComparison.Ordinal)..].Split('\n').Skip(1).Take(3).ToList();
        Assert.Contains(top, line => line.Contains("Blocker from Ana Silva: Legal review of the new form", StringComparison.Ordinal));
        Assert.Contains(top, line => line.Contains("\"Handoffs in November\" is behind", StringComparison.Ordinal));

        // Anyone may preview; posting it for everyone is for admins and marketing.
        var posts = world.Platform.Posts.Count;
        var refused = (await world.CommandAsync("sam", "/digest now week:this"))!.Message.Text!;
        Assert.Contains("can use /digest now", refused);
        await world.DispatchAsync();
        Assert.Equal(posts, world.Platform.Posts.Count);
    }
}
