using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;

namespace TeamBot.Data.Tests;

public sealed class DispatchTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_PostsHandoffCardInHandoffsChannel_OpensThread_AndStartsSla(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.SlaMinutes = 15;

        var lead = await world.HandOffAsync("jane@acme.com");

        var post = Assert.Single(world.Platform.Posts);
        Assert.Equal(TestWorld.Handoffs, post.Place.Id);
        var card = post.Message.Card!;
        Assert.Equal("Jane Doe · Acme GmbH", card.Title);
        Assert.Contains(card.Fields, f => f.Name == "Source" && f.Value == "webinar");
        Assert.Contains(card.Actions, a => a.Id == HandoffCards.ClaimAction);
        Assert.Equal(5, card.Actions.Count(a => a.Id == HandoffCards.RateAction));
        Assert.Equal(post.Posted, lead.Handoff);
        Assert.Equal("thread-" + post.Posted.MessageId, lead.ThreadPlaceId);
        Assert.Equal(lead.PostedAt!.Value.AddMinutes(15), world.Sla.Due[lead.Id]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenProcessDiedAfterPostingBeforeRecording_PostsAgainWithSameKeySoPlatformShowsOneMessage(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        // Put the database back where it was when the process died: the platform has the post, TeamBot has no record of it.
        await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await db.Leads.Where(l => l.Id == lead.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.HandoffMessageId, (string?)null));
            await db.Outbox.Where(o => o.Kind == "handoff").ExecuteUpdateAsync(s => s.SetProperty(o => o.CompletedAt, (DateTimeOffset?)null));
            return true;
        });
        await world.DispatchAsync();

        Assert.Single(world.Platform.Posts);
        var recovered = await world.GetLeadAsync(lead.Id);
        Assert.Equal(lead.Handoff, recovered!.Handoff);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenPlatformFails_RetriesWithBackoff_ThenDeliversInOrderOnce(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Platform.FailWith = new ChatPlatformException("503 from the platform", transient: true);
        var outcomes = await world.SubmitAsync(TestWorld.Lead("a@acme.com"), TestWorld.Lead("b@acme.com"), TestWorld.Lead("c@acme.com"));

        Assert.Equal(0, await world.DispatchAsync());
        var waiting = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync());
        // The first post found the platform down; the others wait for it untried instead of failing one by one.
        Assert.Equal(1, waiting[0].Attempts);
        Assert.Contains("503", waiting[0].LastError);
        Assert.All(waiting.Skip(1), o => Assert.Equal(0, o.Attempts));
        var outage = Assert.Single(world.Services.GetRequiredService<PlatformOutages>().Current);
        Assert.Equal(world.Platform.Name, outage.Platform);
        Assert.True(outage.RetryAt > world.Clock.GetUtcNow(), "the platform waits before the next attempt");

        world.Platform.FailWith = null;
        Assert.Equal(0, await world.DispatchAsync());
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        await world.DispatchAsync();

        var posted = world.Platform.PostsIn(TestWorld.Handoffs).Select(p => p.Message.Card!.Footer!).ToList();
        Assert.Equal(3, posted.Count);
        Assert.Equal(outcomes.Select(o => $"Lead #{o.LeadId} ·"), posted.Select(f => f[..(f.IndexOf('·') + 1)]));
        Assert.Empty(world.Services.GetRequiredService<PlatformOutages>().Current);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenPlatformRefusesForGood_GivesUpOnThatEntryOnly(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Platform.FailWith = new ChatPlatformException("Missing access", transient: false);
        await world.SubmitAsync(TestWorld.Lead("a@acme.com"));
        await world.DispatchAsync();
        world.Platform.FailWith = null;
        await world.SubmitAsync(TestWorld.Lead("b@acme.com"));
        await world.DispatchAsync();

        var rows = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync());
        Assert.NotNull(rows[0].FailedAt);
        Assert.Equal("Missing access", rows[0].LastError);
        Assert.Single(world.Platform.PostsIn(TestWorld.Handoffs));
        Assert.StartsWith("⚠️ Lead #1", Assert.Single(world.Platform.PostsIn("marketing")).Message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenBurstExceedsPace_PostsWithinPace_TellsChannelWhatIsQueued_AndWhenDone(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Platform.Pace = new PostingPace(5, TimeSpan.FromSeconds(5));
        world.Dispatch.QueueNoticeThreshold = 3;
        await world.SubmitAsync(Enumerable.Range(0, 12).Select(i => TestWorld.Lead($"lead{i}@acme.com")).ToArray());

        await world.DispatchAsync();
        var first = world.Platform.PostsIn(TestWorld.Handoffs);
        Assert.Equal(4, first.Count(p => p.Message.Card is not null));
        var notice = Assert.Single(first, p => p.Message.Card is null).Message.Text!;
        Assert.Contains("12 new leads are queued", notice);
        Assert.Contains("all posted in about 12 seconds", notice);
        Assert.Contains("1 per second", notice);

        for (var window = 0; window < 2; window++)
        {
            var before = world.Platform.PostsIn(TestWorld.Handoffs).Count;
            world.Clock.Advance(TimeSpan.FromSeconds(5));
            await world.DispatchAsync();
            Assert.InRange(world.Platform.PostsIn(TestWorld.Handoffs).Count - before, 1, 5);
        }

        var all = world.Platform.PostsIn(TestWorld.Handoffs);
        Assert.Equal(12, all.Count(p => p.Message.Card is not null));
        Assert.Contains(all, p => p.Message.Text?.StartsWith("✅ The queue is clear", StringComparison.Ordinal) == true);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_ThreadNotesWaitForTheirHandoff(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Platform.FailWith = new ChatPlatformException("down", transient: true);
        var id = (await world.SubmitAsync(TestWorld.Lead("a@acme.com")))[0].LeadId;
        await world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IOutboxStore>().EnqueueAsync(TestWorld.WorkspaceId, new PostInThread(id, "a note", []), world.Clock.GetUtcNow(), CancellationToken.None);
            return true;
        });
        await world.DispatchAsync();
        world.Platform.FailWith = null;
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.DispatchAsync();

        var posts = world.Platform.Posts.ToList();
        Assert.Equal(2, posts.Count);
        Assert.NotNull(posts[0].Message.Card);
        Assert.Equal("a note", posts[1].Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenALeadsEarlierPostFailsOnce_ItsLaterPostsWaitAndGoOutInOrder(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        world.Clock.Advance(TimeSpan.FromMinutes(15));
        await world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<SlaService>().CheckAsync(lead.Id, CancellationToken.None);
            return true;
        });
        world.Platform.FailWith = new ChatPlatformException("503", transient: true);
        await world.DispatchAsync();                  // the reminder fails once and waits for its retry
        world.Platform.FailWith = null;
        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        await world.DispatchAsync();                  // the claim note must not overtake the reminder
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        await world.DispatchAsync();

        var notes = world.ThreadTexts(lead);
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("⏰", notes[0], StringComparison.Ordinal);
        Assert.Equal("🙋 Sam Carter claimed this lead.", notes[1]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenTheHandoffIsRefusedForGood_MarketingIsTold_ItsLaterPostsAreDropped_AndOtherLeadsFlow(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Dispatch.BatchSize = 3;
        world.Platform.FailWith = new ChatPlatformException("403 Missing Access", transient: false);
        var refused = (await world.SubmitAsync(TestWorld.Lead("a@acme.com")))[0].LeadId;
        for (var i = 0; i < 4; i++) await world.CommandAsync("alex", $"/leads assign lead:{refused} rep:{(i % 2 == 0 ? "sam" : "ana")}");
        await world.DispatchAsync();
        world.Platform.FailWith = null;

        var next = (await world.SubmitAsync(TestWorld.Lead("b@acme.com")))[0].LeadId;
        await world.DispatchAsync();

        var notice = Assert.Single(world.Platform.PostsIn("marketing"));
        Assert.StartsWith($"⚠️ Lead #{refused} (Jane Doe) could not be posted for sales: 403 Missing Access", notice.Message.Text, StringComparison.Ordinal);
        Assert.Contains(world.Platform.PostsIn(TestWorld.Handoffs), p => p.Message.Card?.Footer?.StartsWith($"Lead #{next} ", StringComparison.Ordinal) == true);
        var pending = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.CountAsync(o => o.CompletedAt == null && o.FailedAt == null));
        Assert.Equal(0, pending);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_KeysItsPostsWithTheInstallation_SoANewDatabaseNeverReusesAnOldPost(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Services.GetRequiredService<Installation>().Key = "db-two";

        await world.HandOffAsync("jane@acme.com");

        Assert.Equal("db-two:handoff-1", Assert.Single(world.Platform.Posts).Key);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenThePostFailsAfterRouting_PostsLaterWhereItWasRouted_AndTheRotationMovesOnce(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = Core.Handoffs.RoutingMode.RoundRobin;
        world.Platform.FailWith = new ChatPlatformException("503 from the platform", transient: true);
        var first = (await world.SubmitAsync(TestWorld.Lead("a@acme.com")))[0].LeadId;

        await world.DispatchAsync();
        var routed = (await world.GetLeadAsync(first))!.Route;
        Assert.NotNull(routed?.AssigneeId);
        Assert.Empty(world.Platform.Posts);

        world.Platform.FailWith = null;
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        var second = (await world.SubmitAsync(TestWorld.Lead("b@acme.com")))[0].LeadId;
        await world.DispatchAsync();

        var posted = (await world.GetLeadAsync(first))!;
        Assert.Equal((routed!.AssigneeId, routed.Reason), (posted.Route!.AssigneeId, posted.Route.Reason));
        Assert.NotNull(posted.Handoff);
        var next = (await world.GetLeadAsync(second))!.Route!.AssigneeId;
        Assert.NotEqual(routed.AssigneeId, next);
        Assert.Equal(2, world.Platform.PostsIn(TestWorld.Handoffs).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_WhenTheProcessDiesBeforeTheSlaTimerIsSet_TheRecoverySweepSetsIt(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.SlaMinutes = 15;
        var leadId = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0].LeadId;

        // The pass that posts the handoff leaves its timer to the dispatcher's next quiet moment; the process dies before it.
        var pass = await world.InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None));
        Assert.Equal(1, pass.Delivered);
        Assert.Empty(world.Sla.Due);

        await world.InScopeAsync(sp => sp.GetRequiredService<SlaService>().RecoverAsync(CancellationToken.None));

        var lead = await world.GetLeadAsync(leadId);
        Assert.Equal(lead!.PostedAt!.Value.AddMinutes(15), world.Sla.Due[leadId]);
    }
}
