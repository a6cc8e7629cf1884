using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Digests;
using TeamBot.Core.Standups;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

/// <summary>Stand-ups on a real database: prompts at their local time, answers, reminders, the summary, and every way a prompt may not happen.</summary>
public sealed class StandupTests
{
    private const string Create = "/standup create name:Sync channel:general participants:\"sam, ana\" days:Mon-Fri time:09:30 window:4h";

    // Monday 16 November 2026, 08:00 in Berlin.
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 7, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Create_SchedulesTheNextPromptAtItsLocalTime_AndFiresItOnce(string provider)
    {
        await using var world = await CreateAsync(provider);
        var reply = await world.CommandAsync("alex", Create);
        Assert.Contains("created the stand-up \"Sync\"", reply!.Message.Text);
        Assert.Contains("Next prompt: Mon 16 Nov 09:30 Europe/Berlin", reply.Message.Text);
        var standup = await StandupAsync(world);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 8, 30, 0, TimeSpan.Zero), world.Standups.Prompts[standup.Id]);

        world.Clock.Set(world.Standups.Prompts[standup.Id]);
        await Task.WhenAll(FireAsync(world, standup.Id), FireAsync(world, standup.Id)); // two instances at once
        await FireAsync(world, standup.Id); // and the same timer again
        await world.DispatchAsync();

        var prompt = Assert.Single(world.Platform.Posts);
        Assert.Equal("general", prompt.Place.Id);
        Assert.StartsWith("🗓️ Stand-up: Sync (Mon 16 Nov)", prompt.Message.Text);
        Assert.Contains("5. Any blockers?", prompt.Message.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 17, 8, 30, 0, TimeSpan.Zero), world.Standups.Prompts[standup.Id]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Create_WithBadOptions_NamesEachOne_AndStoresNothing(string provider)
    {
        await using var world = await CreateAsync(provider);
        var reply = await world.CommandAsync("alex",
            "/standup create name:Sync participants:\"sam, bob\" days:Mon-Fry time:25:00 tz:Mars/Base window:2 mode:thread remind:soon");
        var text = reply!.Message.Text!;
        Assert.Contains("participants: 'bob' is not a person", text);
        Assert.Contains("days: 'Mon-Fry' is not a list of days", text);
        Assert.Contains("tz: 'Mars/Base' is not an IANA time zone", text);
        Assert.Contains("window: '2' must be a duration", text);
        Assert.Contains("remind: 'soon' must be a duration", text);
        Assert.EndsWith("Nothing was saved.", text);

        var cron = await world.CommandAsync("alex", "/standup create name:Sync participants:sam cron:\"30 9 * *\"");
        Assert.StartsWith("cron: '30 9 * *' has 4 fields", cron!.Message.Text);
        var both = await world.CommandAsync("alex", "/standup create name:Sync participants:sam cron:\"30 9 * * *\" time:09:30");
        Assert.StartsWith("cron: give either cron, or days and time", both!.Message.Text);
        var remind = await world.CommandAsync("alex", "/standup create name:Sync participants:sam time:09:30 window:1h remind:2h");
        Assert.StartsWith("remind: 2 hours before the close is not within the 1 hour window", remind!.Message.Text);
        var notAdmin = await world.CommandAsync("sam", Create);
        Assert.StartsWith("Only admin people can use /standup create", notAdmin!.Message.Text);

        Assert.Empty(await world.InScopeAsync(sp => sp.GetRequiredService<IStandupStore>().ListAsync(TestWorld.WorkspaceId, CancellationToken.None)));
        Assert.Empty(world.Standups.Prompts);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Commands_EditPauseResumeListDelete(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create);
        var duplicate = await world.CommandAsync("alex", Create.Replace("name:Sync", "name:sync", StringComparison.Ordinal));
        Assert.StartsWith("name: there is already a stand-up called \"sync\"", duplicate!.Message.Text);
        var id = (await StandupAsync(world)).Id;

        var edited = await world.CommandAsync("alex", "/standup edit name:Sync time:10:15 tz:America/New_York mode:dm");
        Assert.Contains("days:Mon-Fri time:10:15 (America/New_York)", edited!.Message.Text);
        Assert.Contains("by direct message", edited.Message.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 15, 15, 0, TimeSpan.Zero), world.Standups.Prompts[id]);

        Assert.Contains("paused", (await world.CommandAsync("alex", "/standup pause name:Sync"))!.Message.Text);
        Assert.False(world.Standups.Prompts.ContainsKey(id));
        await FireAtAsync(world, id, new DateTimeOffset(2026, 11, 16, 15, 15, 0, TimeSpan.Zero));
        Assert.Empty(world.Platform.Posts);
        Assert.Contains("Paused.", (await world.CommandAsync("sam", "/standup list"))!.Message.Text);

        Assert.Contains("Next prompt: Tue 17 Nov 10:15 America/New_York", (await world.CommandAsync("alex", "/standup resume name:Sync"))!.Message.Text);
        Assert.Contains("deleted", (await world.CommandAsync("alex", "/standup delete name:Sync"))!.Message.Text);
        Assert.StartsWith("No stand-ups yet", (await world.CommandAsync("sam", "/standup list"))!.Message.Text);
        Assert.StartsWith("name: there is no stand-up called \"Sync\"", (await world.CommandAsync("alex", "/standup run name:Sync"))!.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ThreadAnswers_EditsAndLateAnswers_MakeTheSummary(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create.Replace("\"sam, ana\"", "\"sam, ana, lee\"", StringComparison.Ordinal));
        var standup = await StandupAsync(world);
        await FireAtAsync(world, standup.Id, world.Standups.Prompts[standup.Id]);
        await world.DispatchAsync();
        var thread = new PlaceRef("fake", TestWorld.WorkspaceId, "thread-" + world.Platform.Posts.Single().Posted.MessageId);

        await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("sam"), "s1", "1. Webinar on Thursday\n5. none"));
        await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("ana"), "a1", "2. Prospects ask about SSO\nBlockers: pricing page is down"));
        await world.SendAsync(new MessageEdited(thread, TestWorld.User("sam"), "s1", "1. Webinar moved to Friday\n5. none"));
        var stranger = await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("maria"), "m1", "Hi all"));
        Assert.Contains("did not ask you", stranger!.Message.Text);

        // The reminder goes to Lee only, by direct message.
        world.Clock.Set(new DateTimeOffset(2026, 11, 16, 11, 30, 0, TimeSpan.Zero));
        var runId = world.Standups.Runs.Keys.Single();
        Assert.Equal(world.Clock.GetUtcNow(), world.Standups.Runs[runId]);
        await AdvanceAsync(world, runId);
        await world.DispatchAsync();
        var reminder = Assert.Single(world.Platform.PostsIn("dm-lee"));
        Assert.Contains("closes in 1 hour", reminder.Message.Text);
        Assert.Empty(world.Platform.PostsIn("dm-sam"));

        world.Clock.Set(world.Standups.Runs[runId]);
        await AdvanceAsync(world, runId);
        await AdvanceAsync(world, runId);
        await world.DispatchAsync();
        var summary = Assert.Single(world.Platform.PostsIn(thread.Id)).Message.Text!;
        Assert.Contains("Answered: 2 of 3: Sam Carter (edited), Ana Silva", summary);
        Assert.Contains("• Sam Carter (edited): Webinar moved to Friday", summary);
        Assert.DoesNotContain("Webinar on Thursday", summary);
        Assert.Contains("🚧 Blockers:\n• Ana Silva: pricing page is down", summary);
        Assert.DoesNotContain("Sam Carter: none", summary);
        Assert.Contains("No answer: Lee Park", summary);

        // Lee answers late: the record and the stored summary change, and the thread gets a short note.
        world.Clock.Advance(TimeSpan.FromMinutes(20));
        var late = await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("lee"), "l1", "3. Too many student sign-ups"));
        Assert.Contains("now includes your answer", late!.Message.Text);
        await world.DispatchAsync();
        Assert.Equal("📝 Late answer from Lee Park: Too many student sign-ups", world.Platform.PostsIn(thread.Id)[^1].Message.Text);
        var run = await world.InScopeAsync(sp => sp.GetRequiredService<IStandupStore>().GetRunAsync(runId, CancellationToken.None));
        Assert.Contains("Answered: 3 of 3", run!.Summary);
        Assert.Contains("• Lee Park (late): Too many student sign-ups", run.Summary);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DirectMessageMode_AsksEachPerson_AndDmsGoToTheLatestRunThatAskedThem(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", "/standup create name:Early participants:role:sales days:Mon-Fri time:09:00 mode:dm window:3h tag:on");
        await world.CommandAsync("alex", "/standup create name:Late channel:marketing participants:sam days:Mon-Fri time:09:30 mode:dm window:3h");
        var early = await StandupAsync(world, "Early");
        var later = await StandupAsync(world, "Late");
        await FireAtAsync(world, early.Id, world.Standups.Prompts[early.Id]);
        await world.DispatchAsync();
        Assert.Contains("I asked 3 people by direct message", world.Platform.PostsIn("general").Single().Message.Text);
        Assert.Single(world.Platform.PostsIn("dm-ana"));

        await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-sam"), TestWorld.User("sam"), "d1", "1. Early answer"));
        await FireAtAsync(world, later.Id, world.Standups.Prompts[later.Id]);
        await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-sam"), TestWorld.User("sam"), "d2", "1. Late answer"));
        await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-ana"), TestWorld.User("ana"), "d3", "1. Ana's answer\n5. No"));
        var unrelated = await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-maria"), TestWorld.User("maria"), "d4", "hello"));
        Assert.Contains("/help", unrelated!.Message.Text);

        // Public tagging is on for Early: its reminder mentions Lee in the thread.
        var runs = await world.InScopeAsync(sp => sp.GetRequiredService<IStandupStore>().ListOpenRunsAsync(CancellationToken.None));
        world.Clock.Set(runs[0].RemindAt!.Value);
        await AdvanceAsync(world, runs[0].Id);
        world.Clock.Set(runs[1].ClosesAt!.Value);
        await AdvanceAsync(world, runs[0].Id);
        await AdvanceAsync(world, runs[1].Id);
        await world.DispatchAsync();

        var earlyThread = "thread-" + world.Platform.PostsIn("general")[0].Posted.MessageId;
        var earlyPosts = world.Platform.PostsIn(earlyThread);
        Assert.Contains(earlyPosts, p => p.Message.Text!.StartsWith("⏰ Stand-up Early closes in", StringComparison.Ordinal)
                                         && p.Message.Mentions.Select(m => m.UserId).SequenceEqual(["lee"]));
        Assert.Contains("• Sam Carter: Early answer", earlyPosts[^1].Message.Text);
        Assert.Contains("• Ana Silva: Ana's answer", earlyPosts[^1].Message.Text);
        var lateThread = "thread-" + world.Platform.PostsIn("marketing")[0].Posted.MessageId;
        Assert.Contains("• Sam Carter: Late answer", world.Platform.PostsIn(lateThread)[^1].Message.Text);
        Assert.DoesNotContain("Late answer", earlyPosts[^1].Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DaysOff_SundayToThursdayWeekAndHolidays_PostNothing_AndAwayPeopleAreNotAsked(string provider)
    {
        await using var world = await CreateAsync(provider);
        world.Calendar.WorkWeek = "Sun-Thu";
        world.Calendar.Holidays.Add("2026-11-23 Founders' day");
        await SetAwayAsync(world, "ana", new DateOnly(2026, 11, 30));
        await world.CommandAsync("alex", "/standup create name:Sync participants:\"sam, ana\" days:Sun-Fri time:09:30 window:4h");
        var id = (await StandupAsync(world)).Id;

        // Monday 16 to Tuesday 24: Friday 20 is not in the work week, Monday 23 is a holiday.
        var fired = new List<DateTimeOffset>();
        for (var i = 0; i < 8; i++)
        {
            fired.Add(world.Standups.Prompts[id]);
            await FireAtAsync(world, id, world.Standups.Prompts[id]);
        }
        await world.DispatchAsync();

        var prompts = world.Platform.PostsIn("general").Select(p => p.Message.Text![..p.Message.Text!.IndexOf(')', StringComparison.Ordinal)]).ToList();
        Assert.Equal(["Mon 16 Nov", "Tue 17 Nov", "Wed 18 Nov", "Thu 19 Nov", "Sun 22 Nov", "Tue 24 Nov"], prompts.Select(p => p[(p.IndexOf('(', StringComparison.Ordinal) + 1)..]));
        Assert.Contains(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), fired);
        Assert.Contains(new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero), fired);

        // Ana is away: she gets no prompt, and the summary says so.
        var runId = world.Standups.Runs.Keys.Min();
        world.Clock.Set(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        await AdvanceAsync(world, runId);
        await world.DispatchAsync();
        var summary = world.Platform.Posts.Last().Message.Text!;
        Assert.Contains("Answered: 0 of 1", summary);
        Assert.Contains("Away: Ana Silva (away until 2026-11-30)", summary);
        Assert.Contains("No answer: Sam Carter", summary);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MissedPrompt_WithinGrace_IsPostedLate_BeyondGrace_IsSkippedAndReported(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create + " remind:off");
        var id = (await StandupAsync(world)).Id;

        // Down at 09:30 on Monday, back at 10:45: within the two-hour grace period.
        await FireAtAsync(world, id, new DateTimeOffset(2026, 11, 16, 9, 45, 0, TimeSpan.Zero));
        await world.DispatchAsync();
        Assert.Contains("posted late", Assert.Single(world.Platform.Posts).Message.Text);

        // Down on Tuesday from before 09:30 to 12:00: too late; nothing is asked.
        world.Clock.Set(new DateTimeOffset(2026, 11, 17, 11, 0, 0, TimeSpan.Zero));
        world.Standups.Clear();
        await world.InScopeAsync(sp => sp.GetRequiredService<StandupService>().RecoverAsync(CancellationToken.None));
        Assert.Equal(new DateTimeOffset(2026, 11, 17, 8, 30, 0, TimeSpan.Zero), world.Standups.Prompts[id]);
        await FireAsync(world, id);
        await world.DispatchAsync();
        Assert.Single(world.Platform.PostsIn("general"));
        Assert.Equal(new DateTimeOffset(2026, 11, 18, 8, 30, 0, TimeSpan.Zero), world.Standups.Prompts[id]);

        // Wednesday's summary says Tuesday's stand-up was skipped; Thursday's does not repeat it.
        await FireAtAsync(world, id, world.Standups.Prompts[id]);
        var wednesday = world.Standups.Runs.Keys.Max();
        world.Clock.Set(world.Standups.Runs[wednesday]);
        await AdvanceAsync(world, wednesday);
        await world.DispatchAsync();
        Assert.Contains("⚠️ The stand-up of Tue 17 Nov 09:30 was skipped: TeamBot was not running then", world.Platform.Posts.Last().Message.Text);
        await FireAtAsync(world, id, world.Standups.Prompts[id]);
        var thursday = world.Standups.Runs.Keys.Max();
        world.Clock.Set(world.Standups.Runs[thursday]);
        await AdvanceAsync(world, thursday);
        await world.DispatchAsync();
        Assert.DoesNotContain("skipped", world.Platform.Posts.Last().Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DownForDays_EveryMissedOccurrenceIsReported_AndTheLatestWithinGraceIsStillAsked(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create + " remind:off");
        var id = (await StandupAsync(world)).Id;

        // Down from Monday before 09:30 until Wednesday 10:15 (Berlin): Monday's and Tuesday's prompts are long gone,
        // Wednesday's is 45 minutes late and still within the grace period.
        await FireAtAsync(world, id, new DateTimeOffset(2026, 11, 18, 9, 15, 0, TimeSpan.Zero));
        await world.DispatchAsync();
        var prompt = Assert.Single(world.Platform.PostsIn("general"));
        Assert.StartsWith("🗓️ Stand-up: Sync (Wed 18 Nov)", prompt.Message.Text);
        Assert.Contains("posted late", prompt.Message.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 8, 30, 0, TimeSpan.Zero), world.Standups.Prompts[id]);

        var wednesday = world.Standups.Runs.Keys.Max();
        world.Clock.Set(world.Standups.Runs[wednesday]);
        await AdvanceAsync(world, wednesday);
        await world.DispatchAsync();
        var summary = world.Platform.Posts.Last().Message.Text!;
        Assert.Contains("Mon 16 Nov 09:30", summary);
        Assert.Contains("Tue 17 Nov 09:30", summary);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DownForWeeks_TheSummaryListsEveryMissedPrompt_InPartsThatFitTheMessageLimit(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create + " remind:off");
        var id = (await StandupAsync(world)).Id;

        // Back on Monday 25 January 2027 at 09:45 Berlin: ten weeks of weekday prompts were missed, that day's is 15 minutes late.
        await FireAtAsync(world, id, new DateTimeOffset(2027, 1, 25, 8, 45, 0, TimeSpan.Zero));
        await world.DispatchAsync();
        var prompt = Assert.Single(world.Platform.PostsIn("general"));
        var run = world.Standups.Runs.Keys.Max();
        world.Clock.Set(world.Standups.Runs[run]);
        await AdvanceAsync(world, run);
        await world.DispatchAsync();

        var parts = world.Platform.PostsIn("thread-" + prompt.Posted.MessageId).Select(p => p.Message.Text!).ToList();
        Assert.True(parts.Count >= 2, $"a summary this long goes out in parts, got {parts.Count}");
        Assert.All(parts, part => Assert.True(part.Length <= 4000, $"a part of {part.Length} characters"));
        var whole = string.Join("\n", parts);
        Assert.StartsWith("📋 Stand-up summary: Sync", whole);
        Assert.Equal(50, whole.Split('\n').Count(line => line.StartsWith("⚠️ The stand-up of", StringComparison.Ordinal)));
        Assert.Contains("⚠️ The stand-up of Mon 16 Nov 09:30 was skipped", whole);
        Assert.Contains("⚠️ The stand-up of Fri 22 Jan 09:30 was skipped", whole);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RestartInTheWindow_StillClosesIt_AndPostsTheSummaryOnce(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create + " remind:off");
        var id = (await StandupAsync(world)).Id;
        await FireAtAsync(world, id, world.Standups.Prompts[id]);
        await world.DispatchAsync();
        var thread = new PlaceRef("fake", TestWorld.WorkspaceId, "thread-" + world.Platform.Posts.Single().Posted.MessageId);
        await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("sam"), "s1", "1. Launch on Friday"));

        // The bot restarts at 11:00 and its timers are gone; the sweep sets them again.
        world.Clock.Set(new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero));
        world.Standups.Clear();
        await world.InScopeAsync(sp => sp.GetRequiredService<StandupService>().RecoverAsync(CancellationToken.None));
        var runId = Assert.Single(world.Standups.Runs.Keys);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 12, 30, 0, TimeSpan.Zero), world.Standups.Runs[runId]);

        // A timer firing early changes nothing; at the close, the summary is posted once however often it fires.
        await AdvanceAsync(world, runId);
        world.Clock.Set(new DateTimeOffset(2026, 11, 16, 14, 0, 0, TimeSpan.Zero));
        await Task.WhenAll(AdvanceAsync(world, runId), AdvanceAsync(world, runId));
        await AdvanceAsync(world, runId);
        await world.DispatchAsync();
        var summary = Assert.Single(world.Platform.PostsIn(thread.Id));
        Assert.Contains("Answered: 1 of 2: Sam Carter", summary.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunNow_OnADayOff_AsksEveryoneWhoIsNotAway(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", "/availability set days:Mon-Fri person:sam");
        await world.CommandAsync("alex", "/away until:2026-12-01 person:ana");
        await world.CommandAsync("alex", Create);
        world.Clock.Set(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)); // a Sunday

        // An admin who starts a stand-up by hand on a weekend means it: Sam is asked; Ana, away, is not.
        var started = await world.CommandAsync("alex", "/standup run name:Sync");
        Assert.Contains("1 asked", started!.Message.Text);
        Assert.Contains("Ana Silva", started.Message.Text);
        Assert.DoesNotContain("Sam Carter (not a work day)", started.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunNow_AndTheDigestSection_CountAnswersAndCallOutBlockers(string provider)
    {
        await using var world = await CreateAsync(provider);
        await world.CommandAsync("alex", Create);
        var started = await world.CommandAsync("alex", "/standup run name:Sync");
        Assert.Contains("started the stand-up \"Sync\" now: 2 asked", started!.Message.Text);
        await world.DispatchAsync();
        var thread = new PlaceRef("fake", TestWorld.WorkspaceId, "thread-" + world.Platform.Posts.Single().Posted.MessageId);
        await world.SendAsync(new ThreadMessagePosted(thread, TestWorld.User("ana"), "a1", "1. Case study out\n5. Legal review of the new form"));

        var section = await world.InScopeAsync(sp => sp.GetServices<IDigestContributor>().OfType<StandupDigest>().Single()
            .ContributeAsync(new DigestWindow(TestWorld.WorkspaceId, MondayMorning.AddDays(-1), MondayMorning.AddDays(6)), CancellationToken.None));

        Assert.NotNull(section);
        Assert.Equal("Sync: 1 stand-up, 1 of 2 answers (50%).", section.Lines[0]);
        Assert.Contains("🚧 Ana Silva (Sync): Legal review of the new form", section.Lines);
        Assert.Contains("• Ana Silva: Case study out", section.Lines);
        Assert.Equal(0.9, section.TalkingPoints.Single(t => t.Text.StartsWith("Blocker from Ana Silva", StringComparison.Ordinal)).Weight);
        Assert.Null(await world.InScopeAsync(sp => sp.GetServices<IDigestContributor>().OfType<StandupDigest>().Single()
            .ContributeAsync(new DigestWindow(TestWorld.WorkspaceId, MondayMorning.AddDays(7), MondayMorning.AddDays(14)), CancellationToken.None)));
    }

    private static async Task<TestWorld> CreateAsync(string provider)
    {
        var world = await TestWorld.CreateAsync(provider);
        world.Clock.Set(MondayMorning);
        return world;
    }

    private static Task<Standup> StandupAsync(TestWorld world, string name = "Sync") =>
        world.InScopeAsync(async sp => (await sp.GetRequiredService<IStandupStore>().FindByNameAsync(TestWorld.WorkspaceId, name, CancellationToken.None))!);

    private static Task FireAsync(TestWorld world, long id) =>
        world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<StandupService>().FireAsync(id, CancellationToken.None);
            return true;
        });

    private static Task FireAtAsync(TestWorld world, long id, DateTimeOffset at)
    {
        world.Clock.Set(at);
        return FireAsync(world, id);
    }

    private static Task AdvanceAsync(TestWorld world, long runId) =>
        world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<StandupService>().AdvanceRunAsync(runId, CancellationToken.None);
            return true;
        });

    private static Task SetAwayAsync(TestWorld world, string id, DateOnly until) =>
        world.InScopeAsync(async sp =>
        {
            var people = sp.GetRequiredService<IPeopleStore>();
            var person = (await people.ListAsync(TestWorld.WorkspaceId, CancellationToken.None)).Single(p => p.PlatformUserId == id);
            await people.UpsertAsync(TestWorld.WorkspaceId,
                new PersonDefinition(id, person.DisplayName, person.Roles, person.Email, person.Availability with { AwayUntil = until }), CancellationToken.None);
            return true;
        });
}
