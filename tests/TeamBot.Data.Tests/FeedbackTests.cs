using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

public sealed class FeedbackTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Claim_WhenRepsRaceForTheSameLead_ExactlyOneWinsAndTheOthersAreToldWho(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var reps = new[] { "sam", "ana", "lee", "sam", "ana", "lee" };

        var replies = await Task.WhenAll(reps.Select(rep => world.ClickAsync(lead.Handoff!, rep, HandoffCards.ClaimAction)));

        var claimed = await world.GetLeadAsync(lead.Id);
        Assert.NotNull(claimed!.ClaimedById);
        Assert.Single(replies, r => r!.Message.Text!.StartsWith("You claimed lead", StringComparison.Ordinal));
        var winner = replies.Select((r, i) => (r, reps[i])).Single(x => x.r!.Message.Text!.StartsWith("You claimed", StringComparison.Ordinal)).Item2;
        Assert.Equal(await world.PersonIdAsync(winner), claimed.ClaimedById);
        Assert.All(replies.Where(r => !r!.Message.Text!.StartsWith("You claimed", StringComparison.Ordinal)),
            r => Assert.Matches("already claimed by|You already have", r!.Message.Text!));
        await world.DispatchAsync();
        Assert.Single(world.ThreadTexts(claimed), t => t.Contains("claimed this lead", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_RateAndRetract_OneCurrentRatingPerRepWithHistoryKept(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        Assert.Null(await world.ReactAsync(lead, "sam", "🔥"));
        Assert.Null(await world.ReactAsync(lead, "sam", "👍🏽"));
        Assert.Null(await world.ReactAsync(lead, "ana", "🤷"));
        var sam = await world.PersonIdAsync("sam");
        var ana = await world.PersonIdAsync("ana");
        var ratings = (await world.RatingsAsync(lead.Id)).ToDictionary(r => r.PersonId, r => r.Rating);
        Assert.Equal(Rating.Good, ratings[sam]);
        Assert.Equal(Rating.Meh, ratings[ana]);

        // The platform may report the same reaction without the skin tone; it is still the same reaction.
        await world.ReactAsync(lead, "sam", "👍", added: false);
        Assert.Contains(await world.RatingsAsync(lead.Id), r => r.Rating == Rating.Great && r.PersonId == sam);

        await world.ReactAsync(lead, "sam", "🔥", added: false);
        Assert.DoesNotContain(await world.RatingsAsync(lead.Id), r => r.PersonId == sam);
        await world.DispatchAsync();
        var card = world.Platform.Updates.Last().Message.Card!;
        Assert.Contains(card.Fields, f => f.Name == "Ratings" && f.Value.Contains("Ana Silva: meh", StringComparison.Ordinal) && !f.Value.Contains("Sam", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_HandledTogetherInOneTransaction_CountAsOneByOne_AndTheCardIsRefreshedOnce(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        await world.DispatchAsync();
        var updates = world.Platform.Updates.Count;
        ChatEvent[] reactions =
        [
            new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "🔥", Added: true),
            new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "👍🏽", Added: true),
            new ReactionChanged(lead.Handoff!, TestWorld.User("ana"), "🤷", Added: true),
            new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "👍", Added: false),
            new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "🎉", Added: true),
        ];

        var replies = await world.InScopeAsync(sp =>
        {
            var inbox = sp.GetRequiredService<ChatInbox>();
            Assert.All(reactions, r => Assert.True(inbox.CanShareCommit(r)));
            return inbox.HandleTogetherAsync(reactions, CancellationToken.None);
        });

        Assert.All(replies, Assert.Null);
        var ratings = (await world.RatingsAsync(lead.Id)).ToDictionary(r => r.PersonId, r => r.Rating);
        Assert.Equal(Rating.Great, ratings[await world.PersonIdAsync("sam")]);
        Assert.Equal(Rating.Meh, ratings[await world.PersonIdAsync("ana")]);
        await world.DispatchAsync();
        var update = Assert.Single(world.Platform.Updates.Skip(updates));
        Assert.Contains(update.Message.Card!.Fields, f => f.Name == "Ratings" && f.Value.Contains("Ana Silva: meh", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_HandledTogether_WithRetractionsAndReRatingsByOneRep_LeaveWhatOneByOneLeaves(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var together = await world.HandOffAsync("jane@acme.com");
        var oneByOne = await world.HandOffAsync("joe@acme.com");
        (string User, string Emoji, bool Added)[] script =
        [
            ("sam", "🔥", true), ("sam", "👍", true), ("sam", "🔥", false), ("ana", "🤷", true), ("sam", "🔥", true),
            ("sam", "👍🏽", false), ("maria", "🔥", true), ("ana", "🤷", false), ("ana", "🤷", true), ("lee", "👍", false),
            ("sam", "🔥", true),
        ];

        var grouped = await world.InScopeAsync(sp => sp.GetRequiredService<ChatInbox>().HandleTogetherAsync(
            [.. script.Select(s => new ReactionChanged(together.Handoff!, TestWorld.User(s.User), s.Emoji, s.Added))], CancellationToken.None));
        var single = new List<ChatReply?>();
        foreach (var (user, emoji, added) in script) single.Add(await world.ReactAsync(oneByOne, user, emoji, added));

        Assert.Equal(single.Select(r => r?.Message.Text), grouped.Select(r => r?.Message.Text));
        Assert.Contains(grouped, r => r is { Refusal: true });
        Assert.Equal(Current(await world.RatingsAsync(oneByOne.Id)), Current(await world.RatingsAsync(together.Id)));
        Assert.Equal(await HistoryAsync(world, oneByOne.Id), await HistoryAsync(world, together.Id));
        var ratings = (await world.RatingsAsync(together.Id)).ToDictionary(r => r.PersonId, r => r.Rating);
        Assert.Equal(2, ratings.Count);
        Assert.Equal(Rating.Great, ratings[await world.PersonIdAsync("sam")]);
        Assert.Equal(Rating.Meh, ratings[await world.PersonIdAsync("ana")]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_HandledTogetherOnSeveralCards_EachCountsOnItsOwnLead_AndACardRecordedLaterCountsOnceItIs(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var first = await world.HandOffAsync("jane@acme.com");
        var second = await world.HandOffAsync("joe@acme.com");
        var third = await world.HandOffAsync("kim@acme.com");
        // A card TeamBot has posted but not written down yet (a reaction can come first), and a message that is no card.
        var later = first.Handoff! with { MessageId = "posted-a-moment-later" };
        var plain = first.Handoff! with { MessageId = "someone-elses-message" };
        Task<IReadOnlyList<ChatReply?>> TogetherAsync(params ReactionChanged[] reactions) =>
            world.InScopeAsync(sp => sp.GetRequiredService<ChatInbox>().HandleTogetherAsync(reactions, CancellationToken.None));

        await TogetherAsync(
            new ReactionChanged(first.Handoff!, TestWorld.User("sam"), "🔥", Added: true),
            new ReactionChanged(second.Handoff!, TestWorld.User("ana"), "👍", Added: true),
            new ReactionChanged(later, TestWorld.User("sam"), "🤷", Added: true),
            new ReactionChanged(plain, TestWorld.User("sam"), "👍", Added: true));
        await world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPostedMessageStore>().RecordAsync(new PostedMessage(later, PostedKind.Handoff, third.Id, null), CancellationToken.None);
            return true;
        });
        // A later transaction, in a new scope: the cards seen before are remembered, the one recorded since is found.
        await TogetherAsync(
            new ReactionChanged(later, TestWorld.User("ana"), "🤷", Added: true),
            new ReactionChanged(first.Handoff!, TestWorld.User("ana"), "👍", Added: true),
            new ReactionChanged(plain, TestWorld.User("ana"), "🔥", Added: true));

        var sam = await world.PersonIdAsync("sam");
        var ana = await world.PersonIdAsync("ana");
        var onFirst = (await world.RatingsAsync(first.Id)).ToDictionary(r => r.PersonId, r => r.Rating);
        Assert.Equal(2, onFirst.Count);
        Assert.Equal(Rating.Great, onFirst[sam]);
        Assert.Equal(Rating.Good, onFirst[ana]);
        Assert.Equal([(ana, Rating.Good)], (await world.RatingsAsync(second.Id)).Select(r => (r.PersonId, r.Rating)));
        Assert.Equal([(ana, Rating.Meh)], (await world.RatingsAsync(third.Id)).Select(r => (r.PersonId, r.Rating)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CardRefreshes_QueuedTogether_SkipALeadWhoseRefreshIsWaiting_ButNotOneAlreadyBeingDelivered(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var waiting = await world.HandOffAsync("jane@acme.com");
        var delivering = await world.HandOffAsync("joe@acme.com");
        var fresh = await world.HandOffAsync("kim@acme.com");
        await world.DispatchAsync();
        var now = world.Clock.GetUtcNow();

        await world.InScopeAsync(async sp =>
        {
            var outbox = sp.GetRequiredService<IOutboxStore>();
            await outbox.EnqueueAsync(TestWorld.WorkspaceId, new RefreshCard(waiting.Id), now, CancellationToken.None);
            await outbox.EnqueueAsync(TestWorld.WorkspaceId, new RefreshCard(delivering.Id), now, CancellationToken.None);
            // A dispatcher has taken this one: it may have read the lead before the change, so it does not count.
            await sp.GetRequiredService<TeamBotDbContext>().Outbox.Where(o => o.LeadId == delivering.Id && o.CompletedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.LockedBy, "another").SetProperty(o => o.LockedUntil, now.AddMinutes(1)));
            await outbox.EnqueueOnceAllAsync(
                [(TestWorld.WorkspaceId, new RefreshCard(waiting.Id)), (TestWorld.WorkspaceId, new RefreshCard(delivering.Id)),
                 (TestWorld.WorkspaceId, new RefreshCard(fresh.Id)), (TestWorld.WorkspaceId, new RefreshCard(fresh.Id))],
                now, CancellationToken.None);
            return true;
        });

        var pending = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.AsNoTracking()
            .Where(o => o.Kind == "refresh-card" && o.CompletedAt == null && o.FailedAt == null).Select(o => o.LeadId).ToListAsync());
        Assert.Equal(1, pending.Count(id => id == waiting.Id));
        Assert.Equal(2, pending.Count(id => id == delivering.Id));
        Assert.Equal(1, pending.Count(id => id == fresh.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ABusyCard_IsRedrawnAtOnce_ThenAtMostOnceASecond_WithEveryChangeSinceOnIt(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        world.Platform.Updates.Clear();
        static string Shown((MessageRef Target, OutgoingMessage Message) update) =>
            string.Join("\n", [update.Message.Card!.Text, update.Message.Card.Footer, .. update.Message.Card.Fields.Select(f => $"{f.Name}: {f.Value}")]);

        // The first change shows at once.
        await world.ReactAsync(lead, "sam", "🔥");
        await world.DispatchAsync();
        Assert.Single(world.Platform.Updates);

        // Two more within the second: held back, one refresh waits for both, due when the second is over.
        await world.ReactAsync(lead, "ana", "👍");
        await world.ReactAsync(lead, "lee", "👍");
        Assert.Equal(0, await world.DispatchAsync());
        Assert.Single(world.Platform.Updates);
        var waiting = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.AsNoTracking()
            .Where(o => o.Kind == "refresh-card" && o.LeadId == lead.Id && o.CompletedAt == null && o.FailedAt == null).Select(o => o.DueAt).ToListAsync());
        Assert.Equal([world.Clock.GetUtcNow() + PostingPacer.CardRedraws.Per], waiting);

        world.Clock.Advance(PostingPacer.CardRedraws.Per);
        Assert.Equal(1, await world.DispatchAsync());
        Assert.Equal(2, world.Platform.Updates.Count);
        Assert.NotEqual(Shown(world.Platform.Updates.First()), Shown(world.Platform.Updates.Last()));
        Assert.Equal(3, (await world.RatingsAsync(lead.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ratings_InSuccessiveTransactionsOfOneScope_AreAllKept_AndARolledBackOneIsNot(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var sam = await world.PersonIdAsync("sam");
        var ana = await world.PersonIdAsync("ana");
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        await world.InScopeAsync(async sp =>
        {
            var unitOfWork = sp.GetRequiredService<IUnitOfWork>();
            var feedback = sp.GetRequiredService<IFeedbackStore>();
            await unitOfWork.InTransactionAsync(async ct =>
            {
                await feedback.AddRatingAsync(lead.Id, sam, Rating.Great, FeedbackSource.Reaction, "🔥", at, ct);
                return true;
            }, CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<bool>(async ct =>
            {
                await feedback.AddRatingAsync(lead.Id, ana, Rating.Meh, FeedbackSource.Reaction, "🤷", at, ct);
                throw new InvalidOperationException("something after the rating failed");
            }, CancellationToken.None));
            await feedback.AddRatingAsync(lead.Id, ana, Rating.Good, FeedbackSource.Button, null, at.AddMinutes(1), CancellationToken.None);
            await unitOfWork.InTransactionAsync(async ct =>
            {
                await feedback.AddRatingAsync(lead.Id, sam, Rating.Meh, FeedbackSource.Reaction, "🤷", at.AddMinutes(2), ct);
                return true;
            }, CancellationToken.None);
            return true;
        });

        Assert.Equal(
            [(sam, Rating.Great, "🔥", false), (ana, Rating.Good, null, false), (sam, Rating.Meh, "🤷", false)],
            await HistoryAsync(world, lead.Id));
        var ratings = (await world.RatingsAsync(lead.Id)).ToDictionary(r => r.PersonId, r => r.Rating);
        Assert.Equal(Rating.Good, ratings[ana]);
        Assert.Equal(Rating.Meh, ratings[sam]);
    }

    /// <summary>Each rep's current rating of a lead, by person.</summary>
    private static List<(long PersonId, Rating Rating, string? Emoji)> Current(IReadOnlyList<RatingRecord> ratings) =>
        [.. ratings.Select(r => (r.PersonId, r.Rating, r.Emoji)).OrderBy(r => r.PersonId)];

    /// <summary>Every rating row of a lead in the order written, taken back or not.</summary>
    private static Task<List<(long PersonId, Rating Rating, string? Emoji, bool Retracted)>> HistoryAsync(TestWorld world, long leadId) =>
        world.InScopeAsync(async sp => (await sp.GetRequiredService<TeamBotDbContext>().Ratings.AsNoTracking()
                .Where(r => r.LeadId == leadId).OrderBy(r => r.Id).ToListAsync())
            .Select(r => (r.PersonId, (Rating)r.Rating, r.Emoji, r.RetractedAt != null)).ToList());

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_ThatClaimOrAskForAReason_AreNotHandledTogether(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        await world.InScopeAsync(sp =>
        {
            var inbox = sp.GetRequiredService<ChatInbox>();
            Assert.False(inbox.CanShareCommit(new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "🙋", Added: true)));
            Assert.False(inbox.CanShareCommit(new ReactionChanged(lead.Handoff!, TestWorld.User("sam"), "👎", Added: true)));
            Assert.False(inbox.CanShareCommit(new CardActionInvoked(lead.Handoff!, TestWorld.User("sam"), HandoffCards.ClaimAction, null)));
            return Task.FromResult(0);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_FromTheBotOrFromOtherEmoji_NeverCount(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        await world.SendAsync(new ReactionChanged(lead.Handoff!, TestWorld.Bot, "🔥", Added: true));
        await world.SendAsync(new ReactionChanged(lead.Handoff!, TestWorld.Bot, "🙋", Added: true));
        await world.ReactAsync(lead, "sam", "🎉");

        Assert.Empty(await world.RatingsAsync(lead.Id));
        Assert.Null((await world.GetLeadAsync(lead.Id))!.ClaimedById);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reactions_FromSomeoneWhoIsNotSales_AreExplainedPrivatelyAndNotCounted(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        var rate = await world.ReactAsync(lead, "maria", "🔥");
        var claim = await world.ClickAsync(lead.Handoff!, "maria", HandoffCards.ClaimAction);

        Assert.Equal(ReplyVisibility.Private, rate!.Visibility);
        Assert.Contains("Only sales reps can rate leads; you are set up as marketing", rate.Message.Text);
        Assert.Contains("Only sales reps can claim leads", claim!.Message.Text);
        Assert.Empty(await world.RatingsAsync(lead.Id));
        Assert.Null((await world.GetLeadAsync(lead.Id))!.ClaimedById);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ClaimReaction_AddedThenRemoved_ClaimsThenReleasesAndRestartsTheSla(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.SlaMinutes = 10;
        var lead = await world.HandOffAsync("jane@acme.com");

        await world.ReactAsync(lead, "sam", "🙋");
        Assert.Equal(await world.PersonIdAsync("sam"), (await world.GetLeadAsync(lead.Id))!.ClaimedById);
        Assert.Null((await world.GetLeadAsync(lead.Id))!.SlaDueAt);

        world.Clock.Advance(TimeSpan.FromMinutes(3));
        await world.ReactAsync(lead, "sam", "🙋", added: false);
        var released = await world.GetLeadAsync(lead.Id);
        Assert.Null(released!.ClaimedById);
        Assert.Equal(world.Clock.GetUtcNow().AddMinutes(10), released.SlaDueAt);
        Assert.Equal(released.SlaDueAt, world.Sla.Due[lead.Id]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reject_AsksThatRepForAReasonOnce_AndTheReasonIsStoredShownAndSentBackInTheThread(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        await world.ReactAsync(lead, "ana", "🚫");
        await world.ClickAsync(lead.Handoff!, "ana", HandoffCards.RateAction, "2");
        await world.DispatchAsync();
        var prompt = Assert.Single(world.Platform.PostsIn(lead.ThreadPlaceId!), p => p.Message.Card?.Choices.Any(c => c.Id == HandoffCards.ReasonAction) == true);
        Assert.Equal("Why was this lead rejected, Ana Silva?", prompt.Message.Card!.Title);
        Assert.Equal("ana", Assert.Single(prompt.Message.Mentions).UserId);

        var otherRep = await world.ClickAsync(prompt.Posted, "sam", HandoffCards.ReasonAction, "no-budget");
        Assert.Contains("This question is for someone else", otherRep!.Message.Text);
        var other = await world.ClickAsync(prompt.Posted, "ana", HandoffCards.ReasonAction, "other");
        Assert.Contains("Please say what was wrong", other!.Message.Text);
        var given = await world.ClickAsync(prompt.Posted, "ana", HandoffCards.ReasonAction, "other:Student project, not a buyer");
        Assert.Equal("Thanks! Your reason goes back to marketing.", given!.Message.Text);

        // The card was redrawn a moment ago (the rating): the reason shows on it when its next redraw is due.
        world.Clock.Advance(PostingPacer.CardRedraws.Per);
        await world.DispatchAsync();
        var reasons = await world.InScopeAsync(sp => sp.GetRequiredService<IFeedbackStore>().GetReasonsAsync(lead.Id, CancellationToken.None));
        Assert.Equal(("other", "Student project, not a buyer"), (Assert.Single(reasons).Code, reasons[0].Note));
        Assert.Contains(world.ThreadTexts(lead), t => t == "📝 Ana Silva's reason: Other (Student project, not a buyer)");
        Assert.Contains(world.Platform.Updates.Last().Message.Card!.Fields, f => f.Name == "Ratings" && f.Value.Contains("Ana Silva: poor (Other: Student project, not a buyer)", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Outcomes_BelongToTheRepWhoClaimed_WonNeedsAnAmount_AndMoveTheLeadsStage(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        var early = await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.OutcomeAction, "meeting");
        Assert.Contains("Claim lead", early!.Message.Text);
        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        var notYours = await world.ClickAsync(lead.Handoff!, "ana", HandoffCards.OutcomeAction, "meeting");
        Assert.Contains("belongs to Sam Carter", notYours!.Message.Text);
        var noAmount = await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.OutcomeAction, "won");
        Assert.Contains("needs an amount", noAmount!.Message.Text);
        Assert.Equal(LeadStage.New, (await world.GetLeadAsync(lead.Id))!.Stage);

        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.OutcomeAction, "meeting");
        var won = await world.CommandAsync("sam", $"/leads outcome lead:{lead.Id} outcome:won amount:12.5k");
        Assert.Equal($"Recorded for lead #{lead.Id}: won, 12,500.", won!.Message.Text);
        var admin = await world.CommandAsync("alex", $"/leads outcome lead:{lead.Id} outcome:lost note:\"Budget cut\"");
        Assert.StartsWith("Recorded", admin!.Message.Text, StringComparison.Ordinal);
        Assert.Equal(LeadStage.Lost, (await world.GetLeadAsync(lead.Id))!.Stage);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnOutcomeRecordedBeforeTheHandoffIsPosted_IsOnTheFirstCard(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var leadId = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0].LeadId;
        Task<bool> HasFeedbackAsync() => world.InScopeAsync(sp => sp.GetRequiredService<IFeedbackStore>().HasFeedbackAsync(leadId, CancellationToken.None));
        Assert.False(await HasFeedbackAsync());

        // The card is not out yet, but the lead has its number: an admin records what happened by command.
        var lost = await world.CommandAsync("alex", $"/leads outcome lead:{leadId} outcome:lost note:\"Budget cut\"");
        Assert.StartsWith("Recorded", lost!.Message.Text, StringComparison.Ordinal);
        Assert.True(await HasFeedbackAsync());

        await world.DispatchAsync();
        var card = Assert.Single(world.Platform.Posts, p => p.Message.Card is not null).Message.Card!;
        Assert.Contains(card.Fields, f => f.Name == "Outcome" && f.Value.Contains("Budget cut", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ThreadReplies_AreKeptAsComments_AndTheBotMarksThem(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        await world.SendAsync(new ThreadMessagePosted(lead.Thread!, TestWorld.User("sam"), "m-77", "Called her, demo on Tuesday"));
        await world.SendAsync(new ThreadMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "not-a-lead-thread"), TestWorld.User("sam"), "m-78", "chatter"));
        await world.DispatchAsync();

        var comments = await world.InScopeAsync(sp => sp.GetRequiredService<IFeedbackStore>().GetCommentsAsync(lead.Id, CancellationToken.None));
        Assert.Equal("Called her, demo on Tuesday", Assert.Single(comments).Text);
        var reaction = Assert.Single(world.Platform.Reactions);
        Assert.Equal(("m-77", "📝"), (reaction.Message.MessageId, reaction.Emoji));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task HandoffCommand_FromMarketing_CreatesALead_FromSalesIsRefused_AndBadFieldsAreNamed(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var ok = await world.CommandAsync("maria", "/leads handoff email:jane@acme.com firstName:Jane company:Acme reason:\"Met at the booth\"");
        var refused = await world.CommandAsync("sam", "/leads handoff email:bob@acme.com");
        var bad = await world.CommandAsync("maria", "/leads handoff email:not-an-email score:500");
        await world.DispatchAsync();

        Assert.StartsWith("Handed off as lead #", ok!.Message.Text, StringComparison.Ordinal);
        Assert.Contains("Only marketing or admin people can use /leads handoff", refused!.Message.Text);
        Assert.Contains("email is not a valid email address", bad!.Message.Text);
        Assert.Contains("score must be a number from 0 to 100", bad.Message.Text);
        var post = Assert.Single(world.Platform.Posts);
        Assert.Contains("via chat", post.Message.Card!.Footer, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reason_WithoutAPoorOrRejectRating_IsRefused(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        await world.ReactAsync(lead, "sam", "🔥");

        var reply = await world.CommandAsync("sam", $"/leads reason lead:{lead.Id} reason:no-budget");

        Assert.StartsWith("A reason explains a poor or rejected lead.", reply!.Message.Text, StringComparison.Ordinal);
        Assert.Empty(await world.InScopeAsync(sp => sp.GetRequiredService<IFeedbackStore>().GetReasonsAsync(lead.Id, CancellationToken.None)));
    }
}
