using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Digests;
using TeamBot.Testing;

namespace TeamBot.Data.Tests;

/// <summary>The weekly digest on its schedule and the rejection alerts, on a real database.</summary>
public sealed class DigestTests
{
    // Monday 16 November 2026, 10:30 in Berlin (the world's workspace zone).
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);

    private sealed class Settings : IDigestSettings
    {
        public DigestSettings DigestDefaults { get; } = new() { BaseUrl = "http://127.0.0.1:5080" };
        public AlertSettings AlertDefaults { get; } = new() { RejectionRate = 0.3, MinLeads = 4 };

        public DigestSettings Digest(string workspaceId) => DigestDefaults;

        public AlertSettings Alerts(string workspaceId) => AlertDefaults;
    }

    private static Task<TestWorld> CreateAsync(string provider, Settings settings, IDigestContributor? contributor = null) =>
        TestWorld.CreateAsync(provider, services =>
        {
            services.AddSingleton<IDigestSettings>(settings);
            if (contributor is not null) services.AddSingleton(contributor);
        });

    /// <summary>Stand-in for the stand-up feature: a section with many blockers.</summary>
    private sealed class Blockers(int count) : IDigestContributor
    {
        public int Order => 20;

        public Task<DigestSection?> ContributeAsync(DigestWindow window, CancellationToken cancellationToken) =>
            Task.FromResult<DigestSection?>(new DigestSection("standups", "Stand-up blockers",
                Enumerable.Range(1, count).Select(i => $"Blocker {i:000}: waiting on the pricing sheet for the enterprise segment, again; asked twice already").ToList(),
                [new TalkingPoint($"{count} blockers were raised in stand-ups this week.", 0.99)], []));
    }

    private static Task RunScheduledAsync(TestWorld world) =>
        world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WeeklyDigests>().RunScheduledAsync(TestWorld.WorkspaceId, CancellationToken.None);
            return true;
        });

    private static Task RecoverAsync(TestWorld world) =>
        world.InScopeAsync(sp => sp.GetRequiredService<WeeklyDigests>().RecoverAsync(CancellationToken.None));

    private static List<string> Digests(TestWorld world) =>
        world.Platform.Posts.Where(p => p.Place.Id == "general" && p.Message.Text?.StartsWith("📊 Weekly digest", StringComparison.Ordinal) == true)
            .Select(p => p.Message.Text!).ToList();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScheduledDigest_IsPostedOncePerWeek_DespiteDoubleFiresAndRestarts_AndLateAfterDowntime(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings());
        world.Clock.Set(Monday);
        var timers = world.Services.GetRequiredService<RecordingDigestScheduler>();

        // First start: the next digest is next Monday at 09:00 Berlin time; nothing is posted for the week before the bot knew the workspace.
        await RecoverAsync(world);
        var nextMonday = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(nextMonday, timers.Due[TestWorld.WorkspaceId]);
        await world.DispatchAsync();
        Assert.Empty(Digests(world));

        await world.HandOffAsync("a@acme.test");
        await world.HandOffAsync("b@acme.test");

        // The timer fires twice, then the bot restarts: one digest, for 16–22 Nov.
        world.Clock.Set(nextMonday);
        await RunScheduledAsync(world);
        await RunScheduledAsync(world);
        await RecoverAsync(world);
        await world.DispatchAsync();
        var digest = Assert.Single(Digests(world));
        Assert.StartsWith("📊 Weekly digest for Acme: 16–22 Nov 2026\nLeads: 2 (none the week before)", digest);
        Assert.Contains("http://127.0.0.1:5080/digest/acme/latest?week=2026-11-16", digest);
        Assert.Equal(nextMonday.AddDays(7), timers.Due[TestWorld.WorkspaceId]);

        // Down over the next Monday morning, back in the afternoon: that week's digest is posted late, once.
        world.Clock.Set(nextMonday.AddDays(7).AddHours(6));
        await RecoverAsync(world);
        await RecoverAsync(world);
        await world.DispatchAsync();
        Assert.Equal(2, Digests(world).Count);
        Assert.StartsWith("📊 Weekly digest for Acme: 23–29 Nov 2026\nLeads: 0 (down 2 from 2)", Digests(world)[1]);

        // Down for more than a week: the missed one is skipped rather than posted a week late, and the schedule goes on.
        world.Clock.Set(new DateTimeOffset(2026, 12, 14, 10, 0, 0, TimeSpan.Zero));
        await RecoverAsync(world);
        await world.DispatchAsync();
        Assert.Equal(2, Digests(world).Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 8, 0, 0, TimeSpan.Zero), timers.Due[TestWorld.WorkspaceId]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScheduledDigest_WhenDisabled_IsNotPosted_AndItsTimerIsRemoved(string provider)
    {
        var settings = new Settings();
        await using var world = await CreateAsync(provider, settings);
        world.Clock.Set(Monday);
        await RecoverAsync(world);
        settings.DigestDefaults.Enabled = false;

        world.Clock.Set(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await RunScheduledAsync(world);
        await world.DispatchAsync();

        Assert.Empty(Digests(world));
        Assert.False(world.Services.GetRequiredService<RecordingDigestScheduler>().Due.ContainsKey(TestWorld.WorkspaceId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DigestNow_ALongDigest_GoesOutInParts_TheRestInTheThreadOfTheFirst(string provider)
    {
        // Eighty blockers of a contributed section make the digest longer than one message of 4,000 characters.
        await using var world = await CreateAsync(provider, new Settings(), new Blockers(80));
        world.Clock.Set(Monday);
        for (var i = 0; i < 3; i++) await world.SubmitAsync(TestWorld.Lead($"l{i}@acme.test", company: $"Company {i}"));
        await world.DispatchAsync();

        var reply = await world.CommandAsync("maria", "/digest now week:this");
        Assert.Equal("Posting the digest for 16–22 Nov 2026 in #general now.", reply!.Message.Text);
        await world.DispatchAsync();

        var first = Assert.Single(Digests(world));
        var thread = world.Platform.Posts.Where(p => p.Place.Id.StartsWith("thread-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(thread);
        Assert.All(thread, p => Assert.Equal("thread-" + world.Platform.Posts.First(f => f.Message.Text == first).Posted.MessageId, p.Place.Id));
        var whole = first + string.Concat(thread.Select(p => p.Message.Text));
        Assert.All(thread.Select(p => p.Message.Text!).Append(first), t => Assert.True(t.Length <= 4000));
        Assert.Contains("Leads: 3 (none the week before)", first);
        Assert.Contains("1. 80 blockers were raised in stand-ups this week.", first);
        Assert.Contains("Outcomes and wins", whole);
        Assert.Contains("Rejections, back to marketing", whole);
        // Every blocker, in order, exactly once.
        var numbers = System.Text.RegularExpressions.Regex.Matches(whole, @"Blocker (\d{3}):").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, 80), numbers);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DigestPreview_ShowsItOnlyToTheAsker_AndALongOneEndsWithTheLink(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings(), new Blockers(80));
        world.Clock.Set(Monday);
        await world.HandOffAsync("p@acme.test");

        var reply = await world.CommandAsync("maria", "/digest preview week:2026-11-18");
        await world.DispatchAsync();

        Assert.Equal(Core.Chat.ReplyVisibility.Private, reply!.Visibility);
        var text = reply.Message.Text!;
        Assert.StartsWith("📊 Weekly digest for Acme: 16–22 Nov 2026\nLeads: 1 (none the week before)", text);
        Assert.True(text.Length <= 4000, $"{text.Length} characters");
        Assert.EndsWith("…the rest is on the page: http://127.0.0.1:5080/digest/acme/latest?week=2026-11-16", text);
        Assert.Empty(Digests(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DigestCommands_BadWeek_SaysWhy_AndPostsNothing(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings());
        var reply = await world.CommandAsync("maria", "/digest now week:someday");
        Assert.Equal("'someday' is not a week: use last, this, or a date YYYY-MM-DD in the week (e.g. its Monday). Nothing was posted.", reply!.Message.Text);
        await world.DispatchAsync();
        Assert.Empty(Digests(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectionAlert_FiresOncePerSourcePerWeek_AndNotBelowTheMinimumCount(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings());
        world.Clock.Set(Monday);
        var leads = new List<long>();
        for (var i = 0; i < 3; i++) leads.Add((await world.HandOffAsync($"r{i}@acme.test")).Id);

        // Two of three rejected is 67%, but three leads are below the minimum of four: no alert.
        await world.CommandAsync("sam", $"/leads rate lead:{leads[0]} rating:reject");
        await world.CommandAsync("ana", $"/leads rate lead:{leads[1]} rating:reject");
        await world.DispatchAsync();
        Assert.Empty(Alerts(world));

        // A fourth lead arrives; the next reason recorded finds 2 of 4 (50%): one alert for the source, one for the campaign.
        leads.Add((await world.HandOffAsync("r3@acme.test")).Id);
        world.Clock.Advance(TimeSpan.FromHours(2));
        await world.CommandAsync("sam", $"/leads reason lead:{leads[0]} reason:no-budget");
        await world.DispatchAsync();
        Assert.Collection(Alerts(world),
            a => Assert.Equal("🚨 Rejections are up for the source webinar: 2 of 4 leads of the last 7 days were rejected (50%; the alert level is 30%). Top reasons: no budget (1). Details: /leads quality period:7d by:source", a),
            a => Assert.StartsWith("🚨 Rejections are up for the campaign Q4: 2 of 4 leads", a));

        // More rejections the same week: no more alerts.
        await world.CommandAsync("lee", $"/leads rate lead:{leads[2]} rating:reject");
        await world.DispatchAsync();
        Assert.Equal(2, Alerts(world).Count);

        // The next week, rejections of new leads alert again.
        world.Clock.Set(Monday.AddDays(7));
        var fresh = new List<long>();
        for (var i = 0; i < 4; i++) fresh.Add((await world.HandOffAsync($"n{i}@acme.test")).Id);
        await world.CommandAsync("sam", $"/leads rate lead:{fresh[0]} rating:reject");
        await world.CommandAsync("ana", $"/leads rate lead:{fresh[1]} rating:reject");
        await world.DispatchAsync();
        Assert.Equal(4, Alerts(world).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectionAlert_RecordedByTwoChecksAtOnce_IsSentOnce(string provider)
    {
        // A rejection's check and the recovery sweep (or two instances) find the same source over the threshold at the
        // same moment: while the first has recorded the alert but not yet committed, the second must not send it too.
        await using var world = await CreateAsync(provider, new Settings());
        var alert = new RejectionAlertRecord(TestWorld.WorkspaceId, "source", "webinar", new DateOnly(2026, 11, 16), 4, 2, Monday);
        var firstRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstMayCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<bool> Check(Func<Task>? beforeCommit) => world.InScopeAsync(sp => sp.GetRequiredService<TeamBot.Core.Workspaces.IUnitOfWork>().InTransactionAsync(async ct =>
        {
            var fresh = await sp.GetRequiredService<IRejectionAlertStore>().TryRecordAsync(alert, ct);
            if (beforeCommit is not null) await beforeCommit();
            return fresh;
        }, CancellationToken.None));

        var first = Check(async () =>
        {
            firstRecorded.SetResult();
            await firstMayCommit.Task;
        });
        await firstRecorded.Task;
        // SQLite waits for its write lock synchronously: the second check runs on its own thread.
        var second = Task.Run(() => Check(null));
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(500)));
        firstMayCommit.SetResult();

        var sent = await Task.WhenAll(first, second);
        Assert.Equal([true, false], sent);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectionAlert_TheSweepAlerts_WhenANewLeadBringsAHighRateToTheMinimumCount(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings());
        world.Clock.Set(Monday);
        var leads = new List<long>();
        for (var i = 0; i < 3; i++) leads.Add((await world.HandOffAsync($"s{i}@acme.test")).Id);
        foreach (var lead in leads) await world.CommandAsync("sam", $"/leads rate lead:{lead} rating:reject");
        await world.DispatchAsync();
        Assert.Empty(Alerts(world));

        // No rejection happens, but a fourth lead makes 3 of 4 (75%) count: the sweep alerts, once.
        await world.HandOffAsync("s3@acme.test");
        var sweep = () => world.InScopeAsync(sp => sp.GetRequiredService<RejectionAlerts>().CheckAllAsync(CancellationToken.None));
        Assert.Equal(2, await sweep());
        Assert.Equal(0, await sweep());
        await world.DispatchAsync();
        Assert.StartsWith("🚨 Rejections are up for the source webinar: 3 of 4 leads", Alerts(world)[0]);
        Assert.Equal(2, Alerts(world).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectionCounts_CountLeadsWhoseCurrentRatingBySomeRepIsAReject_AsTheReportsDo(string provider)
    {
        await using var world = await CreateAsync(provider, new Settings());
        world.Clock.Set(Monday.AddDays(-8));
        var old = (await world.SubmitAsync(TestWorld.Lead("old@acme.test")))[0].LeadId;
        world.Clock.Set(Monday);
        var outcomes = await world.SubmitAsync(
            TestWorld.Lead("a@acme.test"), TestWorld.Lead("b@acme.test"), TestWorld.Lead("c@acme.test"), TestWorld.Lead("d@acme.test"),
            TestWorld.Lead("e@acme.test"), TestWorld.Lead("f@acme.test", source: "Webinar"), TestWorld.Lead("g@acme.test", source: null) with { Campaign = null });
        var ids = outcomes.Select(o => o.LeadId).ToList();
        var (sam, ana) = (await world.PersonIdAsync("sam"), await world.PersonIdAsync("ana"));
        await world.InScopeAsync(async sp =>
        {
            var feedback = sp.GetRequiredService<TeamBot.Core.Feedback.IFeedbackStore>();
            async Task Rate(long lead, long person, TeamBot.Core.Feedback.Rating rating, string emoji, int minute) =>
                await feedback.AddRatingAsync(lead, person, rating, TeamBot.Core.Feedback.FeedbackSource.Reaction, emoji, Monday.AddMinutes(minute), CancellationToken.None);
            var (reject, good) = (TeamBot.Core.Feedback.Rating.Reject, TeamBot.Core.Feedback.Rating.Good);
            await Rate(old, sam, reject, "👎", 1);            // received before the period: not counted
            await Rate(ids[0], sam, reject, "👎", 1);         // rejected
            await Rate(ids[1], sam, reject, "👎", 1);         // changed their mind later: not rejected
            await Rate(ids[1], sam, good, "👍", 2);
            await Rate(ids[2], sam, reject, "👎", 1);         // took the reject back: not rejected
            await feedback.RetractRatingAsync(ids[2], sam, "👎", Monday.AddMinutes(2), CancellationToken.None);
            await Rate(ids[3], sam, good, "👍", 1);           // one rep rates it good, another rejects it: rejected
            await Rate(ids[3], ana, reject, "👎", 3);
            await Rate(ids[4], sam, good, "👍", 5);           // two ratings at the same moment: the later one written counts
            await Rate(ids[4], sam, reject, "👎", 5);
            await Rate(ids[5], ana, reject, "👎", 1);         // another spelling of the source, counted as stored
            return true;
        });

        var (from, to) = (Monday - RejectionAlerts.Window, Monday.AddHours(1));
        var counts = await world.InScopeAsync(sp => sp.GetRequiredService<IRejectionAlertStore>().CountAsync(TestWorld.WorkspaceId, from, to, CancellationToken.None));
        Assert.Equal(
            [new RejectionCount(null, null, 1, 0), new RejectionCount("Webinar", "Q4", 1, 1), new RejectionCount("webinar", "Q4", 5, 3)],
            counts.OrderBy(c => c.Source, StringComparer.Ordinal).ToList());

        // The same numbers as the facts the reports and the alert's text count.
        var facts = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBot.Core.Reports.ILeadFactsQuery>().GetAsync(TestWorld.WorkspaceId, from, to, CancellationToken.None));
        var fromFacts = facts.GroupBy(f => (f.Source, f.Campaign))
            .Select(g => new RejectionCount(g.Key.Source, g.Key.Campaign, g.Count(), g.Count(f => f.CurrentRatings.Contains(TeamBot.Core.Feedback.Rating.Reject))));
        Assert.Equal(fromFacts.OrderBy(c => c.Source, StringComparer.Ordinal).ToList(), counts.OrderBy(c => c.Source, StringComparer.Ordinal).ToList());
    }

    private static List<string> Alerts(TestWorld world) =>
        world.Platform.Posts.Where(p => p.Place.Id == "marketing" && p.Message.Text?.StartsWith("🚨", StringComparison.Ordinal) == true).Select(p => p.Message.Text!).ToList();
}
