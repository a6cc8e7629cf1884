using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;
using TeamBot.Core.Goals;
using TeamBot.Core.Reports;
using TeamBot.Core.Tests.Fakes;
using TeamBot.Core.Workspaces;
using TeamBot.Testing;

namespace TeamBot.Core.Tests.Goals;

/// <summary>/goal in a Berlin workspace on Monday, November 16 2026 (working day 11 of 20 in November, with Nov 26 off).</summary>
public class GoalCommandsTests
{
    private const string Ws = "acme";

    private static readonly Workspace Workspace = new(Ws, "fake", "Acme", "Europe/Berlin", new WorkspacePlaces("handoffs", "marketing", "general"));

    private readonly FakeGoalStore _goals = new();
    private readonly FakeLeadFacts _facts = new();
    private readonly FakePeopleStore _people = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 16, 9, 30, 0, TimeSpan.Zero));
    private readonly GoalCommands _commands;
    private readonly GoalService _service;

    public GoalCommandsTests()
    {
        foreach (var (id, user, name, roles) in new[]
                 {
                     (1L, "maria", "Maria Lopez", TeamRoles.Marketing), (2L, "sam", "Sam Carter", TeamRoles.Sales),
                     (3L, "ana", "Ana Silva", TeamRoles.Sales), (4L, "alex", "Alex Kim", TeamRoles.Admin),
                 })
        {
            _people.Add(new Person(id, Ws, user, name, roles, null, Availability.Default("Europe/Berlin")));
        }
        var calendar = WorkCalendar.Default("Europe/Berlin") with { Holidays = new HashSet<DateOnly> { new(2026, 11, 26) } };
        _service = new GoalService(_goals, _facts, new FakeWorkCalendars(calendar), new GoalSettings(), _clock);
        _commands = new GoalCommands(_goals, _service, _people, _clock);
    }

    private async Task<ChatReply> RunAsync(string user, string text)
    {
        Assert.True(CommandParser.TryParse(text, out var command, out var error), error);
        var person = (await _people.ListAsync(Ws, CancellationToken.None)).Single(p => p.PlatformUserId == user);
        return await _commands.HandleAsync(new CommandContext(Workspace, person, new PlaceRef("fake", Ws, "general"), command), CancellationToken.None);
    }

    private static string Text(ChatReply reply) => reply.Message.Text ?? "";

    private void Lead(int day, int hour = 10, Rating[]? ratings = null, bool meeting = false, int? claimMinutes = null)
    {
        var at = new DateTimeOffset(2026, 11, day, hour, 0, 0, TimeSpan.Zero);
        _facts.Facts.Add((Ws, new LeadFact(_facts.Facts.Count + 1, at, "webinar", null, null, claimMinutes is null ? null : 2,
            claimMinutes is { } m ? at.AddMinutes(m) : null, ratings ?? [], [], meeting, false, false, 0)));
    }

    [Fact]
    public async Task Add_WithTheDocumentedSyntax_StoresTheGoalForThisQuarter_WithOwnersFromBothTeams()
    {
        var reply = await RunAsync("alex", "/goal add name:\"SQLs this quarter\" metric:sqls target:120 period:quarter owners:\"maria, sam\"");

        var goal = Assert.Single(_goals.Goals);
        Assert.Equal(("SQLs this quarter", GoalMetric.Sqls, 120m), (goal.Name, goal.Metric, goal.Target));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), (goal.First, goal.Last));
        Assert.Equal([1L, 2L], goal.OwnerIds);
        Assert.Equal(ReplyVisibility.Public, reply.Visibility);
        Assert.StartsWith("Alex Kim added goal #1 \"SQLs this quarter\": SQLs 120 in Q4 2026 (Oct 1 to Dec 31, 65 working days); owners Maria Lopez, Sam Carter.",
            Text(reply), StringComparison.Ordinal);
        Assert.DoesNotContain("⚠️", Text(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sam, ana", "All owners are in sales. Shared goals work best with an owner from marketing too.")]
    [InlineData("maria", "All owners are in marketing. Shared goals work best with an owner from sales too.")]
    [InlineData(null, "This goal has no owners yet.")]
    public async Task Add_WithOwnersFromOneTeam_WarnsButStoresTheGoal(string? owners, string warning)
    {
        var reply = await RunAsync("alex", "/goal add name:Handoffs metric:handoffs target:40 period:month" + (owners is null ? "" : $" owners:\"{owners}\""));

        Assert.Single(_goals.Goals);
        Assert.Contains("⚠️ " + warning, Text(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fortnight", "period: 'fortnight' is not a period. Use month, quarter, next-month, next-quarter, YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD.")]
    [InlineData("2026-12-31..2026-12-01", "period: '2026-12-31..2026-12-01' ends before it starts.")]
    [InlineData("2026-02-30..2026-03-10", "period: '2026-02-30..2026-03-10' has a date that does not exist.")]
    [InlineData("2026-13", "period: '2026-13' is not a month: use YYYY-MM with a month from 01 to 12, e.g. 2026-11.")]
    [InlineData("2026-Q5", "period: '2026-q5' is not a quarter: use YYYY-Q1 to YYYY-Q4, e.g. 2026-Q4.")]
    [InlineData("2026-01-01..2028-06-30", "period: '2026-01-01..2028-06-30' is longer than two years.")]
    public async Task Add_WithABadPeriod_NamesThePeriod_AndStoresNothing(string period, string expected)
    {
        var reply = await RunAsync("alex", $"/goal add name:X metric:sqls target:10 period:{period}");

        Assert.Equal(expected + " Nothing was saved.", Text(reply));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Empty(_goals.Goals);
    }

    [Theory]
    [InlineData("sqls", "lots", "target:lots must be a whole number of leads, e.g. 120 for metric sqls.")]
    [InlineData("sqls", "12.5", "target:12.5 must be a whole number of leads, e.g. 120 for metric sqls.")]
    [InlineData("meetings", "0", "target:0 must be more than 0 for metric meetings.")]
    [InlineData("meeting-rate", "150%", "target:150% must be a percentage from 0 to 100, e.g. 25% for metric meeting-rate.")]
    [InlineData("speed-to-claim", "fast", "target:fast must be a duration of at most 30 days, such as 30m, 2h or 1h30m (a bare number is minutes) for metric speed-to-claim.")]
    [InlineData("won-revenue", "-5", "target:-5 must be a number such as 50000, 50k or 1.5m for metric won-revenue.")]
    public async Task Add_WithABadTarget_NamesTheTarget_AndStoresNothing(string metric, string target, string expected)
    {
        var reply = await RunAsync("alex", $"/goal add name:X metric:{metric} target:{target}");

        Assert.Equal(expected + " Nothing was saved.", Text(reply));
        Assert.Empty(_goals.Goals);
    }

    [Fact]
    public void Add_WithAnUnknownMetric_IsRefusedByTheParser_NamingTheMetricAndItsChoices()
    {
        Assert.False(CommandParser.TryParse("/goal add name:X metric:pipelines target:10", out _, out var error));

        Assert.Equal("'pipelines' is not a choice for metric: use handoffs, claimed, sqls, meetings, opportunities, won-revenue, meeting-rate, speed-to-claim, manual.", error);
    }

    [Theory]
    [InlineData("owners:zoe", "owners: Nobody here is called 'zoe'.")]
    [InlineData("owners:a", "owners: 'a' matches Maria Lopez, Sam Carter, Ana Silva, Alex Kim; be more specific.")]
    [InlineData("start:5", "start: only manual goals take a starting value; sqls is counted from TeamBot's data.")]
    public async Task Add_WithBadOwnersOrStart_SaysWhich_AndStoresNothing(string option, string expected)
    {
        var reply = await RunAsync("alex", $"/goal add name:X metric:sqls target:10 {option}");

        Assert.Equal(expected + " Nothing was saved.", Text(reply));
        Assert.Empty(_goals.Goals);
    }

    [Fact]
    public async Task Add_WithTheNameOfAnActiveGoal_IsRefused()
    {
        await RunAsync("alex", "/goal add name:Pipeline metric:manual target:500k");

        var reply = await RunAsync("alex", "/goal add name:pipeline metric:sqls target:10");

        Assert.Equal("name: there is already an active goal called \"Pipeline\" (#1). Pick another name, or archive that one first. Nothing was saved.", Text(reply));
        Assert.Single(_goals.Goals);
    }

    [Fact]
    public async Task Add_ParsesEachUnit()
    {
        await RunAsync("alex", "/goal add name:Revenue metric:won-revenue target:1.5m period:next-quarter");
        await RunAsync("alex", "/goal add name:Rate metric:meeting-rate target:12.5% period:2026-12");
        await RunAsync("alex", "/goal add name:Speed metric:speed-to-claim target:1h30m period:2026-11-02..2026-11-13");
        await RunAsync("alex", "/goal add name:Pipeline metric:manual target:500k start:100k period:2027-Q1");

        Assert.Equal([1_500_000m, 0.125m, 5400m, 500_000m], _goals.Goals.Select(g => g.Target));
        Assert.Equal(100_000m, _goals.Goals[3].StartValue);
        Assert.Equal(["Q1 2027", "December 2026", "2026-11-02 to 2026-11-13", "Q1 2027"], _goals.Goals.Select(g => g.Period.Label));
    }

    [Fact]
    public async Task Update_ByAnOwner_KeepsTheHistory_AndAnswersWithTheNewPace()
    {
        await RunAsync("alex", "/goal add name:Pipeline metric:manual target:500k start:100k period:month owners:\"maria, sam\"");

        await RunAsync("maria", "/goal update goal:1 value:200k note:\"CRM report\"");
        _clock.Advance(TimeSpan.FromDays(1));
        var reply = await RunAsync("sam", "/goal update goal:#1 value:300000");

        Assert.Equal([200_000m, 300_000m], _goals.Updates.Select(u => u.Value));
        Assert.Equal("CRM report", _goals.Updates[0].Note);
        Assert.StartsWith("Sam Carter updated goal #1 \"Pipeline\" to 300,000.\n▓▓▓▓▓░░░░░ 50% · 300,000 of 500,000 · at risk", Text(reply), StringComparison.Ordinal);

        var show = await RunAsync("ana", "/goal show goal:1");
        var history = show.Message.Card!.Fields.Single(f => f.Name == "Updates").Value;
        Assert.Equal("2026-11-17: 300,000\n2026-11-16: 200,000 (CRM report)", history);
    }

    [Fact]
    public async Task Update_BySomeoneWhoIsNeitherOwnerNorAdmin_IsRefused_AndStoresNothing()
    {
        await RunAsync("alex", "/goal add name:Pipeline metric:manual target:500k owners:maria");

        var reply = await RunAsync("sam", "/goal update goal:1 value:200k");

        Assert.Equal("Only admins and the goal's owners can update goal #1; its owners are Maria Lopez. Nothing was changed.", Text(reply));
        Assert.Empty(_goals.Updates);
    }

    [Theory]
    [InlineData("goal:1 value:20", "goal:1 counts sqls from TeamBot's own data, so it needs no updates; only manual goals take a value. Nothing was saved.")]
    [InlineData("goal:2 value:lots", "value:lots must be a number such as 50000, 50k or 1.5m. Nothing was saved.")]
    [InlineData("goal:9 value:1", "There is no goal #9 in this workspace; /goal list shows them. Nothing was saved.")]
    [InlineData("goal:x value:1", "goal:x is not a goal number; /goal list shows them, e.g. goal:3. Nothing was saved.")]
    public async Task Update_WithBadInput_SaysWhy_AndStoresNothing(string options, string expected)
    {
        await RunAsync("alex", "/goal add name:SQLs metric:sqls target:10");
        await RunAsync("alex", "/goal add name:Pipeline metric:manual target:500k");

        var reply = await RunAsync("alex", "/goal update " + options);

        Assert.Equal(expected, Text(reply));
        Assert.Empty(_goals.Updates);
    }

    [Fact]
    public async Task Show_GivesActualExpectedProjectionAndVerdict_FromTheLeads()
    {
        for (var i = 0; i < 11; i++) Lead(2 + i % 10);
        Lead(20); // after now: not received yet
        _facts.Facts.Add((Ws, _facts.Facts[0].Fact with { LeadId = 99, ReceivedAt = new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero) })); // October
        await RunAsync("alex", "/goal add name:\"Handoffs in November\" metric:handoffs target:40 period:month owners:\"maria, sam\"");

        var card = (await RunAsync("maria", "/goal show goal:1")).Message.Card!;

        Assert.Equal("Goal #1: Handoffs in November", card.Title);
        Assert.Equal("Handoffs · November 2026 (Nov 1 to Nov 30)", card.Subtitle);
        Assert.Equal("▓▓▓░░░░░░░ 28%\n11 of 40 (28%), expected 22 by now (working day 11 of 20); projected 20 by Nov 30 → behind.", card.Text);
        Assert.Equal(CardColor.Danger, card.Color);
        Assert.Equal(
            [("Actual", "11"), ("Target", "40"), ("Expected by now", "22"), ("Projected by Nov 30", "20"), ("Working days", "11 of 20"), ("Owners", "Maria Lopez, Sam Carter")],
            card.Fields.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public async Task Progress_MeasuresSqlsByTheAverageRating_TheMeetingRate_AndTheMedianSpeed()
    {
        Lead(2, ratings: [Rating.Good], meeting: true, claimMinutes: 10);
        Lead(3, ratings: [Rating.Great, Rating.Meh], claimMinutes: 30); // average 4: good
        Lead(4, ratings: [Rating.Good, Rating.Meh], claimMinutes: 50); // average 3.5: not an SQL
        Lead(5, meeting: true);
        await RunAsync("alex", "/goal add name:SQLs metric:sqls target:10 period:month");
        await RunAsync("alex", "/goal add name:Rate metric:meeting-rate target:25% period:month");
        await RunAsync("alex", "/goal add name:Speed metric:speed-to-claim target:20m period:month");

        var progress = await _service.ProgressAsync(Ws, _goals.Goals, CancellationToken.None);

        Assert.Equal(2m, progress[0].Actual);
        Assert.Equal((0.5m, 4), (progress[1].Actual!.Value, progress[1].Sample!.Value));
        Assert.Equal(GoalVerdict.OnTrack, progress[1].Verdict);
        Assert.Equal((1800m, 3), (progress[2].Actual!.Value, progress[2].Sample!.Value));
        Assert.Equal(GoalVerdict.Behind, progress[2].Verdict);
    }

    [Fact]
    public async Task Progress_WithAStricterSqlRating_CountsFewerSqls()
    {
        Lead(2, ratings: [Rating.Good]);
        Lead(3, ratings: [Rating.Great]);
        var strict = new GoalService(_goals, _facts, new FakeWorkCalendars(WorkCalendar.Default("Europe/Berlin")), new GoalSettings { SqlRating = "great" }, _clock);
        await RunAsync("alex", "/goal add name:SQLs metric:sqls target:10 period:month");

        Assert.Equal(1m, (await strict.ProgressAsync(Ws, _goals.Goals, CancellationToken.None))[0].Actual);
    }

    [Fact]
    public async Task ListAndArchive_ShowActiveGoals_AndKeepArchivedOnesApart()
    {
        await RunAsync("alex", "/goal add name:SQLs metric:sqls target:10 period:month");
        await RunAsync("alex", "/goal add name:Old metric:handoffs target:10 period:2026-10");

        var archived = await RunAsync("alex", "/goal archive goal:2");
        var again = await RunAsync("alex", "/goal archive goal:2");
        var active = (await RunAsync("sam", "/goal list")).Message.Card!;
        var old = (await RunAsync("sam", "/goal list status:archived")).Message.Card!;

        Assert.Equal("Alex Kim archived goal #2 \"Old\". It stays in /goal list status:archived.", Text(archived));
        Assert.Equal("Goal #2 \"Old\" is already archived.", Text(again));
        Assert.Equal(["#1 SQLs (November 2026)"], active.Fields.Select(f => f.Name));
        Assert.Equal("░░░░░░░░░░ 0% · 0 of 10 · behind", active.Fields[0].Value);
        Assert.Equal(["#2 Old (October 2026, archived)"], old.Fields.Select(f => f.Name));
        Assert.Equal("Ended Oct 31: 0 of 10 (0%) → missed.", GoalReports.Explain((await _service.ProgressAsync(Ws, [_goals.Goals[1]], CancellationToken.None))[0]));
    }

    [Fact]
    public async Task List_WithMoreGoalsThanACardHolds_SaysHowManyMore()
    {
        for (var i = 0; i < 30; i++) await RunAsync("alex", $"/goal add name:G{i} metric:handoffs target:10 period:month");

        var card = (await RunAsync("sam", "/goal list")).Message.Card!;

        Assert.Equal(MessageLimits.Local.Fields, card.Fields.Count);
        Assert.Equal("…and 6 more goals", card.Fields[^1].Name);
    }
}
