using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;

namespace TeamBot.Data.Tests;

/// <summary>
/// Reactions made or taken back while TeamBot was away are read back and applied through the inbox, once. The platform is
/// a scripted reader: "live" reactions go to both TeamBot and the reader, reactions "while away" only to the reader.
/// </summary>
public sealed class ReconcileTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_RatingsMadeWhileAway_AreCountedAndTheBotsOwnAreNot(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();
        platform.React(lead, TestWorld.Bot, "🔥");
        platform.React(lead, TestWorld.User("sam"), "🔥");
        platform.React(lead, TestWorld.User("ana"), "👎");

        var report = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(MessagesChecked: 1, Added: 2, Removed: 0, Refused: 0, Failures: 0), report);
        var ratings = (await world.RatingsAsync(lead.Id)).ToDictionary(r => r.PersonId);
        Assert.Equal(2, ratings.Count);
        Assert.Equal((Rating.Great, FeedbackSource.Reaction), (ratings[await world.PersonIdAsync("sam")].Rating, ratings[await world.PersonIdAsync("sam")].Source));
        Assert.Equal(Rating.Poor, ratings[await world.PersonIdAsync("ana")].Rating);
        // The same path as a live reaction: a poor rating asks for a reason, and the card shows the ratings.
        await world.DispatchAsync();
        Assert.Single(world.Platform.PostsIn(lead.ThreadPlaceId!), p => p.Message.Card?.Title == "Why was this lead poor, Ana Silva?");
        Assert.Contains(world.Platform.Updates.Last().Message.Card!.Fields, f => f.Name == "Ratings" && f.Value.Contains("Sam Carter", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_RatingRemovedOrSwappedWhileAway_IsRetractedAndTheNewOneCounts(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();
        await LiveAsync(world, platform, lead, "sam", "🔥");
        await LiveAsync(world, platform, lead, "ana", "👍");

        platform.Unreact(lead, "sam", "🔥");
        platform.React(lead, TestWorld.User("sam"), "👎");
        platform.Unreact(lead, "ana", "👍");
        var report = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, Added: 1, Removed: 2, Refused: 0, Failures: 0), report);
        var current = Assert.Single(await world.RatingsAsync(lead.Id));
        Assert.Equal((await world.PersonIdAsync("sam"), Rating.Poor), (current.PersonId, current.Rating));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_ClaimReactionAddedThenRemovedWhileAway_ClaimsThenReleasesTheLead(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();

        platform.React(lead, TestWorld.User("maria"), "🙋");
        platform.React(lead, TestWorld.User("ana"), "🙋");
        var claimed = await ReconcileAsync(world, platform);

        // Maria is marketing and may not claim; Ana is the first who may.
        Assert.Equal(new ReconcileReport(1, Added: 1, Removed: 0, Refused: 1, Failures: 0), claimed);
        Assert.Equal(await world.PersonIdAsync("ana"), (await world.GetLeadAsync(lead.Id))!.ClaimedById);

        platform.Unreact(lead, "ana", "🙋");
        platform.Unreact(lead, "maria", "🙋");
        var released = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, Added: 0, Removed: 1, Refused: 0, Failures: 0), released);
        Assert.Null((await world.GetLeadAsync(lead.Id))!.ClaimedById);
        await world.DispatchAsync();
        Assert.Contains(world.ThreadTexts(lead), t => t.Contains("released this lead", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_ReactionsWithASkinTone_AreTheSameReactionsUntilTakenBack(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();
        await LiveAsync(world, platform, lead, "sam", "👍🏽");
        await LiveAsync(world, platform, lead, "ana", "🙋🏿");

        var unchanged = await ReconcileAsync(world, platform);
        platform.Unreact(lead, "sam", "👍🏽");
        platform.Unreact(lead, "ana", "🙋🏿");
        var takenBack = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, 0, 0, 0, 0), unchanged);
        Assert.Equal(new ReconcileReport(1, Added: 0, Removed: 2, Refused: 0, Failures: 0), takenBack);
        Assert.Empty(await world.RatingsAsync(lead.Id));
        Assert.Null((await world.GetLeadAsync(lead.Id))!.ClaimedById);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_ClaimMadeWithTheButton_IsNotReleasedForWantOfAReaction(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        var platform = new ScriptedReactions();
        platform.React(lead, TestWorld.User("ana"), "🙋");

        var report = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, 0, 0, 0, 0), report);
        Assert.Equal(await world.PersonIdAsync("sam"), (await world.GetLeadAsync(lead.Id))!.ClaimedById);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_WhenNothingChangedOrRunTwice_ChangesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();
        await LiveAsync(world, platform, lead, "sam", "🙋");
        await LiveAsync(world, platform, lead, "sam", "🔥");
        await LiveAsync(world, platform, lead, "ana", "🤷");
        await world.ClickAsync(lead.Handoff!, "lee", HandoffCards.RateAction, "good");
        await world.DispatchAsync();

        var unchanged = await ReconcileAsync(world, platform);
        Assert.Equal(new ReconcileReport(1, 0, 0, 0, 0), unchanged);

        platform.Unreact(lead, "ana", "🤷");
        platform.React(lead, TestWorld.User("lee"), "🚫");
        var first = await ReconcileAsync(world, platform);
        var ratingsAfterFirst = (await world.RatingsAsync(lead.Id)).OrderBy(r => r.Id);
        await world.DispatchAsync();
        var updatesAfterFirst = world.Platform.Updates.Count;
        var second = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, Added: 1, Removed: 1, Refused: 0, Failures: 0), first);
        Assert.Equal(new ReconcileReport(1, 0, 0, 0, 0), second);
        Assert.Equal(ratingsAfterFirst, (await world.RatingsAsync(lead.Id)).OrderBy(r => r.Id));
        await world.DispatchAsync();
        Assert.Equal(updatesAfterFirst, world.Platform.Updates.Count);
        Assert.Equal(await world.PersonIdAsync("sam"), (await world.GetLeadAsync(lead.Id))!.ClaimedById);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_WhenOneMessageCannotBeRead_TheOthersAreStillReconciled(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var deleted = await world.HandOffAsync("jane@acme.com");
        var kept = await world.HandOffAsync("john@acme.com");
        var platform = new ScriptedReactions();
        platform.Unreadable.Add(deleted.Handoff!.MessageId);
        platform.React(kept, TestWorld.User("sam"), "👍");

        var report = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, Added: 1, Removed: 0, Refused: 0, Failures: 1), report);
        Assert.Single(await world.RatingsAsync(kept.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_ClosedOrOldHandoffs_AreNotRead(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var old = await world.HandOffAsync("old@acme.com");
        world.Clock.Advance(ReactionReconciler.MaxAge + TimeSpan.FromDays(1));
        var won = await world.HandOffAsync("won@acme.com");
        var lost = await world.HandOffAsync("lost@acme.com");
        var open = await world.HandOffAsync("open@acme.com");
        await world.ClickAsync(won.Handoff!, "sam", HandoffCards.ClaimAction);
        await world.CommandAsync("sam", $"/leads outcome lead:{won.Id} outcome:won amount:12k");
        await world.CommandAsync("alex", $"/leads outcome lead:{lost.Id} outcome:lost note:\"Budget cut\"");
        var platform = new ScriptedReactions();
        foreach (var lead in new[] { old, won, lost, open }) platform.React(lead, TestWorld.User("ana"), "🔥");

        var report = await ReconcileAsync(world, platform);

        Assert.Equal(new ReconcileReport(1, Added: 1, Removed: 0, Refused: 0, Failures: 0), report);
        Assert.Equal([open.Handoff!.MessageId], platform.ReadMessages.Distinct());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reconcile_WhenCancelled_StopsWithoutReading(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var platform = new ScriptedReactions();
        platform.React(lead, TestWorld.User("sam"), "🔥");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.InScopeAsync(sp =>
            sp.GetRequiredService<ReactionReconciler>().ReconcileAsync(TestWorld.WorkspaceId, platform, cancelled.Token)));
        Assert.Empty(platform.ReadMessages);
        Assert.Empty(await world.RatingsAsync(lead.Id));
    }

    private static Task<ReconcileReport> ReconcileAsync(TestWorld world, IReactionReader platform) =>
        world.InScopeAsync(sp => sp.GetRequiredService<ReactionReconciler>().ReconcileAsync(TestWorld.WorkspaceId, platform, CancellationToken.None));

    /// <summary>A reaction made while TeamBot was listening: the platform shows it and TeamBot heard it.</summary>
    private static async Task LiveAsync(TestWorld world, ScriptedReactions platform, Lead lead, string userId, string emoji)
    {
        platform.React(lead, TestWorld.User(userId), emoji);
        await world.ReactAsync(lead, userId, emoji);
    }

    /// <summary>What the platform shows: who reacts with which emoji on which message, and which messages are gone.</summary>
    private sealed class ScriptedReactions : IReactionReader
    {
        private readonly Dictionary<(string MessageId, string Emoji), List<ChatUser>> _reactions = [];

        public HashSet<string> Unreadable { get; } = [];

        public List<string> ReadMessages { get; } = [];

        public void React(Lead lead, ChatUser user, string emoji)
        {
            var key = (lead.Handoff!.MessageId, emoji);
            if (!_reactions.TryGetValue(key, out var users)) _reactions[key] = users = [];
            users.Add(user);
        }

        public void Unreact(Lead lead, string userId, string emoji) =>
            _reactions.GetValueOrDefault((lead.Handoff!.MessageId, emoji))?.RemoveAll(u => u.Id == userId);

        public Task<IReadOnlyList<ChatUser>> ReadAsync(MessageRef message, string emoji, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            ReadMessages.Add(message.MessageId);
            if (Unreadable.Contains(message.MessageId)) throw new ChatPlatformException("the message no longer exists", transient: false);
            return Task.FromResult<IReadOnlyList<ChatUser>>(_reactions.GetValueOrDefault((message.MessageId, emoji))?.ToList() ?? []);
        }
    }
}
